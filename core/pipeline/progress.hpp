#pragma once
// Deciding what a target does next and what its parts' outcomes mean (pure; DESIGN.md §5 and
// the driving contract in core/publish/publisher.hpp).

#include <optional>
#include <random>
#include <string>

#include "core/error.hpp"
#include "core/pipeline/records.hpp"
#include "core/publish/types.hpp"

namespace growth::pipeline {

/// The position of the first part of `target` that is not published, or nullopt when the whole
/// thread is out. Throws nothing.
std::optional<std::size_t> first_unpublished(const TargetRecord& target) noexcept;

/// The publish::Part for part number `i` (0-based) of `target`: text, keys, reply references to
/// the previous part and the root, container id, facets for Bluesky, the media URL on part 1,
/// and `resume` when the part was found in `sending`, is `unknown`, or its last failure asked
/// for a check. Throws growth::Error("internal_error") when an earlier part is not published.
publish::Part part_to_send(const TargetRecord& target, std::size_t i, const std::string& media_url);

/// True when part `p` must be checked through the platform before it is sent again: it was
/// found in `sending` (an attempt was cut off), is `unknown`, or an earlier attempt's outcome
/// was uncertain and none has had a known outcome since (`verify_on_retry`). Throws nothing.
bool needs_check(const PartRecord& p) noexcept;

/// True when `failure` is a definite "not applied" answer: the attempt checked through the
/// platform and found that nothing was created (Bluesky's read-back by record key after a failed
/// create, code "not_published"). A 429, a not_sent or a refusal of a re-send says nothing about
/// an earlier attempt, so it is not one. Throws nothing.
bool proves_not_applied(const publish::Failure& failure) noexcept;

/// Whether the part must still be checked before its next attempt after an attempt that began
/// with `checked_before` (needs_check of the part then) failed with `failure`. Sticky: once an
/// attempt's outcome is uncertain the answer stays true until an attempt has a known outcome
/// (published, or proves_not_applied); a later 429 or not_sent does not clear it. Throws nothing.
bool check_after_failure(bool checked_before, const publish::Failure& failure) noexcept;

/// Attempts a part gets by itself (the scheduler's retries included); after the last one a part
/// that would wait for another goes to `failed` (growthctl retry starts it again).
constexpr int max_attempts = 10;

/// Whether `target` has a part that may go out now: its first unpublished part is neither
/// waiting for its time (`scheduled`) nor `canceled`. Throws nothing.
bool startable(const TargetRecord& target) noexcept;

/// The state a failed part moves to (retry_wait, needs_auth, failed, unknown). Throws nothing.
PartState state_after(publish::FailureClass cls) noexcept;

/// When a part in retry_wait may be tried again: exponential backoff from 2 s (doubling per
/// attempt, at most 15 min) with jitter in [50%, 100%], and never before the platform's reset
/// instant. `attempts` counts the attempts made so far (1 after the first). Throws nothing.
Millis next_attempt_at(const publish::Failure& failure, int attempts, Millis now,
                       std::mt19937& random) noexcept;

/// The longest a platform's reset header or Retry-After may park a part: a hostile or broken
/// server's reset a year ahead must not hold a post silently. Beyond it the part fails. (X's
/// 24-hour limit resets at most a day ahead; the hour more is for clock skew.)
constexpr Millis max_platform_wait_ms = 25LL * 60 * 60 * 1000;

/// Why a failure that would wait is given up instead: the platform (not a posting budget, which
/// the person configured) asked to wait past max_platform_wait_ms from `now`. Empty when it may
/// wait. Throws std::bad_alloc.
std::string wait_refusal(const publish::Failure& failure, Millis now);

/// A target's state: "published" when every part is, "sending" while `running`, else the state
/// of its first unpublished part (so "missed" when the thread was not started in time).
/// Throws std::bad_alloc.
std::string target_state(const TargetRecord& target, bool running);

/// A post's state from its targets' states: "published" when all are, "sending" while any is,
/// "partial" when some part went out and not all, else the common state ("failed" when they
/// differ). Throws std::bad_alloc.
std::string post_state(const std::vector<std::string>& target_states, bool any_part_published);

/// How long after its due time (its recording, for a post published at once) a post may still
/// go out by itself after a downtime, unless the post or the config says otherwise; later its
/// waiting parts are `missed` and only `growthctl retry` sends them.
constexpr Millis catch_up_window_ms = 15 * 60 * 1000;

/// The instant a post was due: its due_at when scheduled, else when it was recorded. Throws nothing.
Millis due_of(const PostRecord& post) noexcept;

/// The post's catch-up window: options.catch_up_ms when set, else catch_up_window_ms. Throws nothing.
Millis catch_up_of(const PostRecord& post) noexcept;

/// True when a post due at `due` is too late to go out by itself at `now`: more than `window`
/// after it. Throws nothing.
bool missed_window(Millis due, Millis now, Millis window = catch_up_window_ms) noexcept;

/// Why a post's parts are missed, and the command that publishes them. Throws std::bad_alloc.
std::string missed_message(const PostRecord& post);

}  // namespace growth::pipeline
