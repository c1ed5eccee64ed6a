#pragma once
// Per-account posting budgets: how many parts one account may publish within a rolling window,
// from the platforms' published limits (platforms.md §N.5), so the queue waits for room instead
// of collecting 429s. Every part counts (a reply is a post to the platforms' counters too). Pure
// arithmetic plus one store read; no clock of its own.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/platform.hpp"
#include "core/store/store.hpp"

namespace growth::pipeline {

using BudgetMillis = std::int64_t;

/// At most `count` parts per `window_ms`.
struct BudgetRule {
    int count = 0;
    BudgetMillis window_ms = 0;
    bool operator==(const BudgetRule&) const = default;
};

/// The rules of every platform, indexed by Platform. An empty list: no budget.
using Budgets = std::array<std::vector<BudgetRule>, 7>;

/// The published limits: X 100/15 min; LinkedIn 150/day; Facebook none published (BUC);
/// Instagram 50/24 h; Threads 250/24 h; Mastodon 300/3 h; Bluesky 1,666/h and 11,666/day
/// (5,000 and 35,000 write points, a create costs 3). Throws nothing.
Budgets default_budgets();

/// "N/DURATION" ("100/15m", "300/3h", "11666/1d"), or "off" for none. Throws
/// growth::Error("bad_input") naming what is wrong (N from 1 to 1,000,000; a window from 1 s to 31 days).
BudgetRule parse_budget_rule(std::string_view text);

/// "100 per 15 minutes". Throws std::bad_alloc.
std::string describe(const BudgetRule& rule);

/// The instant `need` more parts fit every rule, given the account's publish times `published`
/// (ascending) : `now` when they fit now. A thread longer than a rule's count waits until that
/// window is empty and then goes out whole. Throws nothing.
BudgetMillis budget_free_at(const std::vector<BudgetRule>& rules, const std::vector<BudgetMillis>& published,
                            int need, BudgetMillis now) noexcept;

/// One rule's standing now.
struct QuotaUse {
    BudgetRule rule;
    int used = 0;                          ///< parts published in the window
    int remaining = 0;                     ///< count - used, at least 0
    std::optional<BudgetMillis> frees_at;  ///< when the oldest of them leaves the window
};

/// Every rule's standing at `now`. Throws std::bad_alloc.
std::vector<QuotaUse> quota_use(const std::vector<BudgetRule>& rules, const std::vector<BudgetMillis>& published,
                                BudgetMillis now);

/// The longest window of `rules` (0 when none). Throws nothing.
BudgetMillis longest_window(const std::vector<BudgetRule>& rules) noexcept;

/// When the parts of account `account_id` published at or after `since` went out, ascending.
/// Throws growth::Error("store_*").
std::vector<BudgetMillis> published_since(Store& store, std::int64_t account_id, BudgetMillis since);

}  // namespace growth::pipeline
