#pragma once
// The publisher interface: one small state machine per part (or per who-am-I check) that the
// daemon drives with its HTTP transport. Pure: no I/O, no clock, no exceptions escape.
//
// Driving contract (what the daemon's post pipeline does for part k of a target):
//   1. Before the first attempt, choose and COMMIT the part's keys in state `prepared`:
//      Mastodon `Part::idempotency_key` (e.g. a UUID), Bluesky `Part::idempotency_key` = a fresh
//      TID (bluesky_tid.hpp). Reuse them unchanged on every later attempt of that part.
//   2. Build the Part: text, index, `parent` = part k-1's Published::ref and `root` = part 1's
//      (both required for k > 1), media_url, facets, the committed container_id if any, and
//      `resume = true` if the part was found in `sending` or the previous attempt ended in a
//      Failure with `verify_on_retry`. Create the machine with make_part_publisher().
//   3. step = start(now). Loop:
//        - Send:      if !checkpoint.empty(), COMMIT it first (container id on the part, Bluesky
//                     session on the account). Mark the part `sending` (commit) before the first
//                     create request goes out. Send `request`; then step = feed(outcome, now),
//                     where outcome is the HttpResponse, or NoResponse{not_sent|lost}.
//        - Published: COMMIT remote_id/url/ref, state `published`. Part k+1 may start.
//        - Failure:   map `cls` to the part state: retry_safe/rate_limited -> retry_wait
//                     (honour `retry_at`), needs_login -> needs_auth, permanent -> failed,
//                     ambiguous -> unknown (the user resolves). Remember verify_on_retry.
//      A machine never yields more than a handful of requests (session refresh, status check,
//      permalink lookup) and never waits itself: backoff and timing belong to the caller.
//   4. The request may carry the secret (Authorization header, Meta access_token): never log
//      headers or bodies verbatim.
// Failure messages never contain the account's secrets.

#include <memory>

#include "core/publish/types.hpp"

namespace growth::publish {

/// A state machine that publishes one part.
class PartPublisher {
public:
    virtual ~PartPublisher() = default;
    /// The first step. Call exactly once. Never throws beyond std::bad_alloc.
    virtual PartStep start(Instant now) = 0;
    /// The step after the outcome of the last Send. Only valid after a Send step. Never throws
    /// beyond std::bad_alloc; any response (bad JSON, wrong types) yields a classified step.
    virtual PartStep feed(const http::Outcome& outcome, Instant now) = 0;
};

/// A state machine that asks the platform who the token belongs to (`account test`).
class WhoAmI {
public:
    virtual ~WhoAmI() = default;
    /// The first step. Call exactly once. Never throws beyond std::bad_alloc.
    virtual WhoAmIStep start(Instant now) = 0;
    /// The step after the outcome of the last Send. Never throws beyond std::bad_alloc.
    virtual WhoAmIStep feed(const http::Outcome& outcome, Instant now) = 0;
};

/// A publisher for `part` on `account` (dispatches on account.platform). Missing or invalid
/// input (no media URL for Instagram, no parent for a reply, a malformed rkey...) is reported by
/// start() as a permanent Failure with code "bad_input", without sending. Does not throw beyond
/// std::bad_alloc.
std::unique_ptr<PartPublisher> make_part_publisher(const Account& account, Part part);

/// A who-am-I machine for `account`. Does not throw beyond std::bad_alloc.
std::unique_ptr<WhoAmI> make_whoami(const Account& account);

}  // namespace growth::publish
