#pragma once
// Reading and writing posts, targets and parts in growth.db. Every write is one BEGIN IMMEDIATE
// transaction, committed before the caller sends anything (DESIGN.md §5).

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/pipeline/plan.hpp"
#include "core/pipeline/records.hpp"
#include "core/store/store.hpp"

namespace growth::pipeline {

/// Randomness the store needs for ids and keys (a fake in tests). Returns 32 random bits.
using RandomBits = std::function<std::uint32_t()>;

/// Stores `plan` as a new post in one transaction: the post, one target per account and every
/// part in state `prepared` with its keys already chosen (a Mastodon Idempotency-Key on every
/// Mastodon part, a Bluesky record key on every Bluesky part). Returns the post id.
/// Throws growth::Error("store_busy" | "store_error").
std::string insert_post(Store& store, const PostPlan& plan, Millis now, const RandomBits& random);

/// insert_post inside the caller's write transaction. Throws as insert_post.
std::string insert_post_rows(Store& store, const PostPlan& plan, Millis now, const RandomBits& random);

/// The post `id` with its targets and parts. Throws growth::Error("post_not_found") naming it,
/// ("store_error").
PostRecord load_post(Store& store, std::string_view id);

/// One target with its parts. Throws growth::Error("post_not_found"), ("store_error").
TargetRecord load_target(Store& store, std::int64_t target_id);

/// Commits a Checkpoint's container id on the part. Throws growth::Error("store_*").
void save_container(Store& store, std::int64_t part_id, const std::string& container_id, Millis now);

/// Commits the part as `sending` (attempts + 1, first/last attempt times) before its first
/// request of this attempt goes out. A part that was still `sending` (an attempt cut off) or
/// `unknown` keeps verify_on_retry set from then on (its earlier outcome is uncertain).
/// Throws growth::Error("store_*").
void mark_sending(Store& store, std::int64_t part_id, Millis now);

/// Commits a published part: remote id, cid, url, state `published`. Throws Error("store_*").
void mark_published(Store& store, std::int64_t part_id, const publish::Published& published,
                    Millis now);

/// A part the platform just confirmed, not yet committed.
struct PublishedPart {
    std::int64_t part_id = 0;
    publish::Published published;
};

/// Commits, in one transaction, `published` (when given) as mark_published does and part
/// `sending_part_id` (when given) as mark_sending does: the reply's remote id and the next part's
/// `sending` reach the disk together, before the next request goes out (one sync instead of two).
/// Throws growth::Error("store_*").
void commit_progress(Store& store, const PublishedPart* published,
                     std::optional<std::int64_t> sending_part_id, Millis now);

/// One target's step for commit_progress_batch: a confirmed part and/or the part going out next.
struct ProgressStep {
    std::optional<PublishedPart> published;
    std::optional<std::int64_t> sending_part_id;
    /// What the sending part replies to (recorded with it, so recovery knows what went out).
    std::optional<publish::PartRef> parent;
    std::optional<publish::PartRef> root;
};

/// commit_progress for several targets' steps in one transaction (a group commit: the targets
/// that got an answer in the same loop round share one sync). Throws growth::Error("store_*");
/// then nothing of the batch is committed.
void commit_progress_batch(Store& store, const std::vector<ProgressStep>& steps, Millis now);

/// Commits a failed attempt: `state`, the error kind and message, next_attempt_at (retry_wait
/// only) and whether the next attempt must check first: check_after_failure (progress.hpp) of
/// the stored verify_on_retry, so a flag set by an uncertain attempt survives a later 429 or
/// not_sent and is cleared only by a known outcome. Throws growth::Error("store_*").
void mark_failed(Store& store, std::int64_t part_id, PartState state, const publish::Failure& failure,
                 std::optional<Millis> next_attempt, Millis now);

/// Commits that part `part_id`'s earlier outcome is uncertain (verify_on_retry = 1): done when a
/// part found in `sending` or `unknown` starts a new attempt, so that a failure before its first
/// request cannot forget it. Throws growth::Error("store_*").
void mark_uncertain(Store& store, std::int64_t part_id, Millis now);

/// Commits, in one transaction, every `prepared` part of target `target_id` as `missed` with
/// error kind "missed" and `message`, and the target's state "missed". Returns how many parts
/// changed. Throws growth::Error("store_*").
int mark_missed(Store& store, std::int64_t target_id, const std::string& message, Millis now);

/// Records a target's and its post's summary states (the post's only when `post_state` is not
/// empty). Throws growth::Error("store_*").
void set_states(Store& store, std::int64_t target_id, const std::string& target_state,
                const std::string& post_id, const std::string& post_state, Millis now);

/// A post's summary state and its targets' (by target id).
struct PostStates {
    std::string post_id;
    std::vector<std::pair<std::int64_t, std::string>> targets;
    std::string state;
};

/// Records the states of every post in `posts`, in one transaction (one disk sync for the posts
/// that settled together). Throws growth::Error("store_*").
void set_post_states(Store& store, const std::vector<PostStates>& posts, Millis now);

/// Recomputes and writes every target's and the post's summary state from their parts (as a
/// settled publish writes them: no target running), inside the caller's write transaction.
/// Returns the post as written. Throws growth::Error("post_not_found", "store_*").
PostRecord write_summary_states(Store& store, const std::string& post_id, Millis now);

/// Targets with a part left in `prepared` or `sending` (a publish interrupted by a crash or a
/// stop), oldest first. Throws growth::Error("store_error").
std::vector<std::int64_t> interrupted_targets(Store& store);

/// Targets with a part in `needs_auth` for the error kind `kind` (e.g. "vault_locked": waiting
/// for `growthctl unlock`), oldest first. Throws growth::Error("store_error").
std::vector<std::int64_t> targets_waiting_for(Store& store, std::string_view kind);

}  // namespace growth::pipeline
