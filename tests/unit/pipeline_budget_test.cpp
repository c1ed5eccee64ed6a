// Posting budgets (core/pipeline/budget.hpp): parsing, when a thread fits, the quota view, and
// the store read of an account's recent publish times.

#include <doctest/doctest.h>

#include <vector>

#include "core/error.hpp"
#include "core/pipeline/budget.hpp"

using namespace growth;
using growth::pipeline::BudgetMillis;
using growth::pipeline::BudgetRule;

namespace {

constexpr BudgetMillis min = 60'000;
constexpr BudgetMillis t0 = 1'767'268'800'000;  // 2026-01-01T12:00:00Z

std::string error_of(std::string_view text) {
    try {
        pipeline::parse_budget_rule(text);
    } catch (const Error& e) {
        CHECK(e.kind() == "bad_input");
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("budget: rules parse as COUNT/DURATION and say what is wrong otherwise") {
    CHECK(pipeline::parse_budget_rule("100/15m") == BudgetRule{100, 15 * min});
    CHECK(pipeline::parse_budget_rule("11666/1d") == BudgetRule{11666, 24 * 60 * min});
    CHECK(pipeline::describe(pipeline::parse_budget_rule("300/3h")) == "300 per 3 hours");
    CHECK(pipeline::describe(pipeline::parse_budget_rule("1666/1h")) == "1666 per hour");
    CHECK(error_of("100") == "'100' is not a budget: write COUNT/DURATION, e.g. \"100/15m\", or \"off\"");
    CHECK(error_of("0/1h").find("from 1 to 1000000") != std::string::npos);
    CHECK(error_of("x/1h").find("whole number") != std::string::npos);
    CHECK(error_of("10/0s").find("from 1 second to 31 days") != std::string::npos);
    CHECK(error_of("10/40d").find("from 1 second to 31 days") != std::string::npos);
    CHECK(error_of("10/soon").rfind("'10/soon' is not a budget: ", 0) == 0);
}

TEST_CASE("budget: the defaults are the platforms' published limits") {
    const auto b = pipeline::default_budgets();
    CHECK(b[static_cast<std::size_t>(Platform::x)] == std::vector<BudgetRule>{{100, 15 * min}});
    CHECK(b[static_cast<std::size_t>(Platform::mastodon)] == std::vector<BudgetRule>{{300, 180 * min}});
    CHECK(b[static_cast<std::size_t>(Platform::bluesky)].size() == 2);
    CHECK(b[static_cast<std::size_t>(Platform::facebook)].empty());
}

TEST_CASE("budget: a thread fits now, or waits until enough of the window has passed") {
    const std::vector<BudgetRule> rules{{3, 10 * min}};
    // Nothing used: anything fits at once, even a thread longer than the budget.
    CHECK(pipeline::budget_free_at(rules, {}, 1, t0) == t0);
    CHECK(pipeline::budget_free_at(rules, {}, 5, t0) == t0);
    const std::vector<BudgetMillis> used{t0 - 9 * min, t0 - 5 * min};
    CHECK(pipeline::budget_free_at(rules, used, 1, t0) == t0);
    // Two more need the oldest to leave the window: 1 minute (and 1 ms) from now.
    CHECK(pipeline::budget_free_at(rules, used, 2, t0) == t0 + min + 1);
    // Three need both gone.
    CHECK(pipeline::budget_free_at(rules, used, 3, t0) == t0 + 5 * min + 1);
    // Longer than the whole budget: waits for an empty window, then goes out whole.
    CHECK(pipeline::budget_free_at(rules, used, 7, t0) == t0 + 5 * min + 1);
    // Parts older than the window do not count.
    CHECK(pipeline::budget_free_at(rules, {t0 - 11 * min, t0 - 10 * min}, 3, t0) == t0);
}

TEST_CASE("budget: with several rules the latest of their free times wins") {
    const std::vector<BudgetRule> rules{{2, 10 * min}, {3, 60 * min}};
    const std::vector<BudgetMillis> used{t0 - 50 * min, t0 - 40 * min, t0 - 1 * min};
    // The short window has room for one; the long one is full until its oldest leaves (10 min).
    CHECK(pipeline::budget_free_at(rules, used, 1, t0) == t0 + 10 * min + 1);
    const auto q = pipeline::quota_use(rules, used, t0);
    REQUIRE(q.size() == 2);
    CHECK(q[0].used == 1);
    CHECK(q[0].remaining == 1);
    CHECK(q[0].frees_at == t0 + 9 * min + 1);
    CHECK(q[1].used == 3);
    CHECK(q[1].remaining == 0);
    CHECK(q[1].frees_at == t0 + 10 * min + 1);
    CHECK(pipeline::quota_use(rules, {}, t0)[0].frees_at == std::nullopt);
    CHECK(pipeline::longest_window(rules) == 60 * min);
}
