#pragma once
// The timer queue in growth.db: what is due and when, firing a scheduled post, cancelling and
// moving one, and the list of posts (DESIGN.md §5 and §8). Every lookup goes through an index:
// posts (state, due_at), parts (state, next_attempt_at), posts (coalesce(due_at, created_at), id).

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/pipeline/plan.hpp"
#include "core/pipeline/post_store.hpp"
#include "core/pipeline/records.hpp"
#include "core/rpc/json.hpp"
#include "core/store/store.hpp"

namespace growth::pipeline {

/// The earliest instant after `after` the scheduler must act at: the first scheduled post's due
/// time or the first retry_wait part's next attempt, whichever comes first; nullopt when nothing
/// waits. A scheduled post due by `after` counts (it is late: fire it). Throws Error("store_*").
std::optional<Millis> next_wakeup(Store& store, Millis after);

/// Scheduled posts due at or before `now`, earliest first, at most `limit`.
/// Throws growth::Error("store_*").
std::vector<std::string> due_posts(Store& store, Millis now, int limit);

/// Targets whose first unpublished part is in retry_wait with its next attempt at or before
/// `now`, earliest first, at most `limit`. Throws growth::Error("store_*").
std::vector<std::int64_t> retry_due_targets(Store& store, Millis now, int limit);

/// What fire_post did.
enum class Fired {
    started,  ///< its parts are `prepared`: the caller starts its targets now
    missed,   ///< later than its catch-up window: its parts are `missed` (retry publishes them)
    skipped,  ///< no longer scheduled (cancelled, moved or fired already): nothing changed
};

/// Fires scheduled post `id` in one transaction: within its catch-up window every `scheduled`
/// part becomes `prepared` and the targets and post `prepared`; later than it, they become
/// `missed` with missed_message. A recurring post's next occurrence (next_occurrence) is recorded
/// in the same transaction, as a new scheduled post. A post fires once: the second call finds it
/// no longer scheduled. Throws growth::Error("post_not_found", "store_*").
Fired fire_post(Store& store, const std::string& id, Millis now, const RandomBits& random);

/// fire_post for each of `ids` in one transaction (one disk sync for a batch due together):
/// all of them fire, or none. Throws as fire_post.
std::vector<Fired> fire_posts(Store& store, const std::vector<std::string>& ids, Millis now, const RandomBits& random);

/// The due time of the occurrence after `post` (options "every", "until_ms", "count"), in the
/// post's zone, fired at `now`: the first elapse after its due time, or after the start of its
/// catch-up window when that is later (after a long downtime the missed post stands for the
/// occurrences before; the series does not replay them one by one). Nullopt when it is not
/// recurring or its series has ended. Throws std::bad_alloc.
std::optional<Millis> next_occurrence(const PostRecord& post, Millis now);

/// What cancel_post did.
struct Cancelled {
    int parts = 0;           ///< parts that became `canceled`
    std::string post_state;  ///< the post's state afterwards
};

/// Cancels what of post `id` has not gone out: every part in scheduled, prepared, retry_wait,
/// missed or needs_auth of a target not in `running` becomes `canceled`; published, sending and
/// unknown parts stay as they are. Throws growth::Error("post_not_found"); ("not_cancelable")
/// naming the post's state when nothing is left to cancel; ("store_*").
Cancelled cancel_post(Store& store, const std::string& id, const std::set<std::int64_t>& running, Millis now);

/// Cancels the parts of target `target_id` that wait (scheduled, prepared, retry_wait, missed,
/// needs_auth), as cancel_post does for a target not running: a running target stops so after
/// its current part. Returns how many became `canceled`. Throws growth::Error("store_*").
int cancel_waiting_parts(Store& store, std::int64_t target_id, Millis now);

/// Moves scheduled post `id` to `when` (due time, zone, catch-up window). Throws
/// growth::Error("post_not_found"); ("not_scheduled") when it is no longer scheduled; ("store_*").
void reschedule_post(Store& store, const std::string& id, const Schedule& when, Millis now);

/// Whether post `id` is still waiting for its due time (its summary state is `scheduled`).
/// Throws growth::Error("post_not_found", "store_*").
bool is_scheduled(Store& store, const std::string& id);

/// What post.list returns.
struct ListQuery {
    std::vector<std::string> states;  ///< list states (see list_state); empty: every state
    std::string account;              ///< only posts with a target on this account; "" all
    std::optional<Millis> from, to;   ///< due (or recorded) within [from, to]
    int limit = 50;                   ///< 1..1000
    std::string cursor;               ///< from the previous page's next_cursor; "" first page
};

/// The state post.list shows for a stored post state: "publishing" for prepared, due and
/// sending; the others as stored. Throws nothing.
std::string_view list_state(std::string_view stored) noexcept;

/// Every list state, for validation and help: scheduled, publishing, published, partial, failed,
/// unknown, missed, canceled, needs_auth.
const std::vector<std::string>& list_states();

/// Posts, newest due (or recorded) first: {"posts":[{"id","state","due","tz","targets":
/// [{"account","platform","state"}],"text"}],"next_cursor":C|null}. Paged by cursor (the last
/// row's due time and id), never OFFSET. Throws growth::Error("bad_input") for a bad cursor or
/// state; ("store_*").
rpc::Json list_posts(Store& store, const ListQuery& query);

}  // namespace growth::pipeline
