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

/// The state a failed part moves to (retry_wait, needs_auth, failed, unknown). Throws nothing.
PartState state_after(publish::FailureClass cls) noexcept;

/// When a part in retry_wait may be tried again: exponential backoff from 2 s (doubling per
/// attempt, at most 15 min) with jitter in [50%, 100%], and never before the platform's reset
/// instant. `attempts` counts the attempts made so far (1 after the first). Throws nothing.
Millis next_attempt_at(const publish::Failure& failure, int attempts, Millis now,
                       std::mt19937& random) noexcept;

/// A target's state: "published" when every part is, "sending" while `running`, else the state
/// of its first unpublished part. Throws std::bad_alloc.
std::string target_state(const TargetRecord& target, bool running);

/// A post's state from its targets' states: "published" when all are, "sending" while any is,
/// "partial" when some part went out and not all, else the common state ("failed" when they
/// differ). Throws std::bad_alloc.
std::string post_state(const std::vector<std::string>& target_states, bool any_part_published);

}  // namespace growth::pipeline
