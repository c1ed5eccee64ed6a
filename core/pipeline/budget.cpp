#include "core/pipeline/budget.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

#include "core/error.hpp"
#include "core/store/sqlite_error.hpp"
#include "core/time/when.hpp"

namespace growth::pipeline {

namespace {

constexpr BudgetMillis minute = 60'000;
constexpr BudgetMillis hour = 60 * minute;
constexpr BudgetMillis day = 24 * hour;

/// The parts of `published` inside the window of `rule` ending at `now`, as an index range start.
std::size_t first_in_window(const BudgetRule& rule, const std::vector<BudgetMillis>& published, BudgetMillis now) {
    const BudgetMillis since = now - rule.window_ms;
    return static_cast<std::size_t>(std::upper_bound(published.begin(), published.end(), since) - published.begin());
}

std::string span_text(BudgetMillis ms) {
    struct Unit {
        BudgetMillis ms;
        const char* name;
    };
    for (const Unit u : {Unit{day, "day"}, Unit{hour, "hour"}, Unit{minute, "minute"}, Unit{1000, "second"}}) {
        if (ms % u.ms == 0) {
            const BudgetMillis n = ms / u.ms;
            return n == 1 ? u.name : fmt::format("{} {}s", n, u.name);
        }
    }
    return fmt::format("{} ms", ms);
}

}  // namespace

Budgets default_budgets() {
    Budgets b;
    auto at = [&b](Platform p) -> std::vector<BudgetRule>& { return b[static_cast<std::size_t>(p)]; };
    at(Platform::x) = {{100, 15 * minute}};
    at(Platform::linkedin) = {{150, day}};
    at(Platform::instagram) = {{50, day}};
    at(Platform::threads) = {{250, day}};
    at(Platform::mastodon) = {{300, 3 * hour}};
    at(Platform::bluesky) = {{1666, hour}, {11666, day}};
    return b;
}

BudgetRule parse_budget_rule(std::string_view text) {
    const auto slash = text.find('/');
    if (slash == std::string_view::npos) {
        throw Error("bad_input", fmt::format("'{}' is not a budget: write COUNT/DURATION, e.g. \"100/15m\", or \"off\"", text));
    }
    const std::string_view count = text.substr(0, slash);
    BudgetRule rule;
    const auto [end, ec] = std::from_chars(count.data(), count.data() + count.size(), rule.count);
    if (ec != std::errc() || end != count.data() + count.size() || rule.count < 1 || rule.count > 1'000'000) {
        throw Error("bad_input", fmt::format("'{}' is not a budget: the count before '/' must be a whole number "
                                             "from 1 to 1000000", text));
    }
    std::chrono::seconds window;
    try {
        window = timeexpr::parse_duration(text.substr(slash + 1));
    } catch (const Error& e) {
        throw Error("bad_input", fmt::format("'{}' is not a budget: {}", text, e.what()));
    }
    if (window < std::chrono::seconds(1) || window > std::chrono::hours(24 * 31)) {
        throw Error("bad_input", fmt::format("'{}' is not a budget: the window must be from 1 second to 31 days", text));
    }
    rule.window_ms = std::chrono::duration_cast<std::chrono::milliseconds>(window).count();
    return rule;
}

std::string describe(const BudgetRule& rule) {
    return fmt::format("{} per {}", rule.count, span_text(rule.window_ms));
}

BudgetMillis budget_free_at(const std::vector<BudgetRule>& rules, const std::vector<BudgetMillis>& published,
                            int need, BudgetMillis now) noexcept {
    BudgetMillis at = now;
    for (const auto& rule : rules) {
        const std::size_t first = first_in_window(rule, published, now);
        const auto used = static_cast<std::int64_t>(published.size() - first);
        if (used + need <= rule.count || used == 0) continue;
        // The oldest `over` of those in the window must leave it first; a thread longer than the
        // whole budget waits for an empty window.
        const std::int64_t over = need > rule.count ? used : used + need - rule.count;
        at = std::max(at, published[first + static_cast<std::size_t>(over) - 1] + rule.window_ms + 1);
    }
    return at;
}

std::vector<QuotaUse> quota_use(const std::vector<BudgetRule>& rules, const std::vector<BudgetMillis>& published,
                                BudgetMillis now) {
    std::vector<QuotaUse> out;
    for (const auto& rule : rules) {
        const std::size_t first = first_in_window(rule, published, now);
        QuotaUse u;
        u.rule = rule;
        u.used = static_cast<int>(published.size() - first);
        u.remaining = std::max(0, rule.count - u.used);
        if (u.used > 0) u.frees_at = published[first] + rule.window_ms + 1;
        out.push_back(u);
    }
    return out;
}

BudgetMillis longest_window(const std::vector<BudgetRule>& rules) noexcept {
    BudgetMillis w = 0;
    for (const auto& r : rules) w = std::max(w, r.window_ms);
    return w;
}

std::vector<BudgetMillis> published_since(Store& store, std::int64_t account_id, BudgetMillis since) {
    return guarded(store, [&] {
        // `+t.account_id`: driven by parts_by_published_at (the window's parts), not by
        // targets_by_account, which walks every target of the account, queued ones included.
        auto q = store.statement("SELECT p.published_at FROM parts p JOIN targets t ON t.id = p.target_id "
                                        "WHERE p.published_at >= ? AND +t.account_id = ? ORDER BY p.published_at");
        q->bind(1, static_cast<std::int64_t>(since));
        q->bind(2, static_cast<std::int64_t>(account_id));
        std::vector<BudgetMillis> out;
        while (q->executeStep()) out.push_back(q->getColumn(0).getInt64());
        return out;
    });
}

}  // namespace growth::pipeline
