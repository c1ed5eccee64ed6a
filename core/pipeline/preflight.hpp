#pragma once
// The preflight (issue 9): 24 hours and again 1 hour before a scheduled post is due, growthd
// checks that each of its accounts can still authenticate, while there is time to log in. The
// plan keeps one cursor per window: every post due up to the cursor has been checked for that
// window. A pass checks the accounts of the posts due in (cursor, now + window] and moves the
// cursor to now + window; the next pass is due when the first post after the cursor enters the
// window. Both lookups go through the posts (state, due_at) index: nothing scans the queue.

#include <array>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/pipeline/records.hpp"
#include "core/store/store.hpp"

namespace growth::pipeline {

/// How long before a post's due time its accounts are checked.
inline constexpr std::array<Millis, 2> preflight_windows = {24 * 3'600'000LL, 3'600'000LL};

/// The earliest due time of a scheduled post after `after`. Throws Error("store_*").
std::optional<Millis> next_scheduled_due(Store& store, Millis after);

/// An account with a scheduled post due in a range, and its first such post.
struct DueAccount {
    std::string account;
    std::string post_id;
    Millis due = 0;
};

/// The accounts of scheduled posts due in (after, until], each once with its first post, at most
/// `limit`, by account name. Throws Error("store_*").
std::vector<DueAccount> accounts_due(Store& store, Millis after, Millis until, int limit = 1000);

/// The due time of post `id` while it is scheduled, else nullopt. Throws Error("store_*").
std::optional<Millis> scheduled_due(Store& store, const std::string& id);

/// When account `name`'s row last changed (a new secret from a login or an update), nullopt when
/// there is no such account. Throws Error("store_*").
std::optional<Millis> account_updated_at(Store& store, const std::string& name);

/// The cursors, pure: no store, no clock.
class PreflightPlan {
public:
    /// Nothing checked yet: the first pass checks everything due within each window of `now`.
    explicit PreflightPlan(Millis now) noexcept { cursors_.fill(now); }

    /// The ranges to check now, as (after, until] pairs, one per window (the 1 hour window's
    /// range is empty while its cursor is ahead), and the cursors moved to now + window.
    /// Throws nothing.
    std::array<std::pair<Millis, Millis>, 2> advance(Millis now) noexcept;

    /// The instant the next pass is due: the first due time after each cursor (from
    /// `next_after`, a lookup) minus its window; nullopt when nothing is scheduled after the
    /// cursors. Throws what `next_after` throws.
    template <typename NextAfter>
    std::optional<Millis> next_pass(NextAfter&& next_after) const {
        std::optional<Millis> best;
        for (std::size_t w = 0; w < preflight_windows.size(); ++w) {
            if (const std::optional<Millis> due = next_after(cursors_[w])) {
                const Millis at = *due - preflight_windows[w];
                if (!best || at < *best) best = at;
            }
        }
        return best;
    }

    /// True when a post newly scheduled (or moved) to `due` lies in a range a pass has already
    /// covered: its accounts are checked at once, since no later pass will find it. False when a
    /// later pass does. Throws nothing.
    bool covered(Millis due, Millis now) const noexcept { return due > now && due <= cursors_[0]; }

    Millis cursor(std::size_t window) const noexcept { return cursors_[window]; }

private:
    std::array<Millis, 2> cursors_{};
};

}  // namespace growth::pipeline
