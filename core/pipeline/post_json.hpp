#pragma once
// The wire view of a post (post.publish, post.show, post.retry results).

#include <cstdint>
#include <set>

#include "core/pipeline/post_store.hpp"
#include "core/pipeline/records.hpp"

namespace growth::pipeline {

/// {"id","state",["due","tz",]"targets":[{"account","platform","state","parts":[{"index","state",
/// "remote_id","url"}]}]}. A part that is not published has null remote_id/url and, when an
/// attempt failed, "error":{"kind","message"} (the publisher's message) and, in retry_wait,
/// "next_attempt_at" (ISO 8601 UTC); an `unknown` part has "resolve": the growthctl command
/// line that settles it. A scheduled post has "due" (ISO 8601 UTC) and "tz" (the zone its time
/// was written in); a recurring one also "every" (the normalized calendar event), and "until"
/// and "count" (occurrences left, this one included) when its series is bounded. `running` holds the ids of targets still being published.
/// Throws std::bad_alloc.
rpc::Json post_json(const PostRecord& post, const std::set<std::int64_t>& running = {});

/// The summary states to record for `post` from its view (post_json's result). Throws
/// std::bad_alloc.
PostStates summary_states(const PostRecord& post, const rpc::Json& view);

/// An instant in milliseconds as "YYYY-MM-DDTHH:MM:SS.mmmZ". Throws std::bad_alloc.
std::string iso_millis(Millis at);

}  // namespace growth::pipeline
