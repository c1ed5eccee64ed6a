// The preflight's plan and lookups (core/pipeline/preflight.hpp) with a fixed clock: each window
// checks what enters it once, a post scheduled inside a covered range is flagged for a check at
// once, the next pass is when the first later post enters a window, and the lookups give each
// account once with its first post.
#include <doctest/doctest.h>

#include <string>

#include "core/pipeline/post_store.hpp"
#include "core/pipeline/preflight.hpp"
#include "core/pipeline/schedule.hpp"
#include "store_test_support.hpp"

using namespace growth;
using namespace growth::pipeline;
using growth::test::TempStore;

namespace {

constexpr Millis hour = 3'600'000;
constexpr Millis t0 = 1806134400000;  // 2027-03-27 08:00 UTC

accounts::Account account(Store& store, const std::string& name) { return test::insert_mastodon_account(store, name); }

std::string schedule(Store& store, const std::vector<accounts::Account>& to, Millis due) {
    auto plan = plan_post("Good morning.", to, {});
    Schedule s;
    s.due_at = due;
    s.tz = "UTC";
    plan.schedule = s;
    return insert_post(store, plan, t0 - 48 * hour, test::next_bits);
}

}  // namespace

TEST_CASE("preflight plan: the first pass covers each window from now, later passes only what entered it") {
    PreflightPlan plan(t0);
    auto r = plan.advance(t0);
    CHECK(r[0] == std::pair<Millis, Millis>{t0, t0 + 24 * hour});
    CHECK(r[1] == std::pair<Millis, Millis>{t0, t0 + hour});
    r = plan.advance(t0 + 10'000);
    CHECK(r[0] == std::pair<Millis, Millis>{t0 + 24 * hour, t0 + 24 * hour + 10'000});
    CHECK(r[1] == std::pair<Millis, Millis>{t0 + hour, t0 + hour + 10'000});
    // A clock set back never moves a cursor backwards: nothing is checked twice.
    r = plan.advance(t0 - hour);
    CHECK(r[0].first == r[0].second);
    CHECK(r[1].first == r[1].second);
    CHECK(plan.cursor(0) == t0 + 24 * hour + 10'000);
}

TEST_CASE("preflight plan: a post inside a covered range is checked at once; the next pass is when a later one enters a window") {
    PreflightPlan plan(t0);
    plan.advance(t0);
    CHECK(plan.covered(t0 + 3 * hour, t0));
    CHECK_FALSE(plan.covered(t0 + 25 * hour, t0));  // the 24 h window reaches it later
    CHECK_FALSE(plan.covered(t0 - 1, t0));          // past: the scheduler fires it, nothing to warn
    // Posts at +30 h and +3 h: the 24 h window meets the first at +6 h, the 1 h window the
    // second at +2 h.
    const auto next_after = [](Millis after) -> std::optional<Millis> {
        for (Millis due : {t0 + 3 * hour, t0 + 30 * hour}) {
            if (due > after) return due;
        }
        return std::nullopt;
    };
    CHECK(plan.next_pass(next_after) == t0 + 2 * hour);
    plan.advance(t0 + 2 * hour);
    CHECK(plan.next_pass(next_after) == t0 + 6 * hour);
    plan.advance(t0 + 6 * hour);
    CHECK(plan.next_pass(next_after) == t0 + 29 * hour);
    plan.advance(t0 + 29 * hour);
    CHECK(plan.next_pass(next_after) == std::nullopt);
}

TEST_CASE("preflight lookups: the next scheduled due time, and each account once with its first post") {
    TempStore t;
    const auto a = account(*t.store, "alpha");
    const auto b = account(*t.store, "beta");
    const std::string first = schedule(*t.store, {a}, t0 + 2 * hour);
    schedule(*t.store, {a, b}, t0 + 5 * hour);
    const std::string later_b = schedule(*t.store, {b}, t0 + 30 * hour);
    for (int i = 0; i < 100; ++i) schedule(*t.store, {a}, t0 + 3 * hour + i);

    CHECK(next_scheduled_due(*t.store, t0) == t0 + 2 * hour);
    CHECK(next_scheduled_due(*t.store, t0 + 2 * hour) == t0 + 3 * hour);
    CHECK(next_scheduled_due(*t.store, t0 + 30 * hour) == std::nullopt);

    const auto due = accounts_due(*t.store, t0, t0 + 24 * hour);
    REQUIRE(due.size() == 2);
    CHECK(due[0].account == "alpha");
    CHECK(due[0].post_id == first);
    CHECK(due[0].due == t0 + 2 * hour);
    CHECK(due[1].account == "beta");
    CHECK(due[1].due == t0 + 5 * hour);
    const auto late = accounts_due(*t.store, t0 + 24 * hour, t0 + 48 * hour);
    REQUIRE(late.size() == 1);
    CHECK(late[0].post_id == later_b);
    CHECK(accounts_due(*t.store, t0 + 2 * hour, t0 + 2 * hour).empty());  // (after, until]

    // A post that is no longer scheduled is not looked at.
    cancel_post(*t.store, first, {}, t0);
    CHECK(next_scheduled_due(*t.store, t0) == t0 + 3 * hour);

    CHECK(account_updated_at(*t.store, "alpha") == 0);
    CHECK(account_updated_at(*t.store, "nobody") == std::nullopt);
}
