#pragma once
// The publisher interface: one small state machine per part (or per who-am-I check) that the
// daemon drives with its HTTP transport. Pure: no I/O, no clock, no exceptions escape (beyond
// std::bad_alloc). The clock is a parameter, so tests use a fixed instant.
//
// DRIVING CONTRACT (the daemon's post pipeline, for part k of one target)
//
//  1. Keys, before the first attempt. Choose and COMMIT, with the part in state `prepared`:
//       - Mastodon: Part::idempotency_key (any unique string, e.g. a UUID);
//       - Bluesky:  Part::idempotency_key = a fresh TID (bluesky::TidClock::next), the rkey.
//     Reuse them unchanged on every later attempt of that part (other platforms ignore them).
//  2. The Part. text, index (1-based), parent = Published::ref of part k-1 and root = that of
//     part 1 (both required for k > 1; Bluesky needs their cid too), media_url (Instagram
//     part 1 requires one), facets (Bluesky), container_id = the last committed
//     Checkpoint::container_id of this part (Instagram/Threads), first_attempt_at, and
//     resume = true when the part was found in `sending` after a crash or the previous attempt's
//     Failure had verify_on_retry. Then `auto m = make_part_publisher(account, part)`.
//  3. The loop. step = m->start(now); while step holds a Send:
//       a. if !send.checkpoint.empty(): COMMIT it before sending — container_id on the part,
//          session on the account (Bluesky refresh tokens rotate, so the new one must be stored
//          before the old one is dropped);
//       b. COMMIT the part as `sending` (once, before its first request);
//       c. send send.request; step = m->feed(outcome, now), where outcome is the HttpResponse
//          (any status) or NoResponse{not_sent} (the request certainly never left: DNS,
//          connect refused) / NoResponse{lost} (timeout, reset, stall: it may have arrived).
//     The machine never waits and never sends more than a handful of requests (login or token
//     refresh, container status, permalink, recent-posts lookup): timing and backoff are the
//     caller's.
//  4. The end.
//       - Published: COMMIT remote_id, url, ref; state `published`. Part k+1 may start.
//       - Failure, by cls:  retry_safe   -> `retry_wait` (not before retry_at if set);
//                           rate_limited -> `retry_wait` until retry_at (or backoff if unset);
//                           needs_login  -> `needs_auth` (account must log in again);
//                           permanent    -> `failed` (message says why);
//                           ambiguous    -> `unknown` (the user resolves; never auto-resend).
//         If verify_on_retry, the next attempt must pass resume = true.
//  5. Resume semantics per platform (resume = true):
//       Mastodon  resend with the same key while first_attempt_at is < 55 min old (or not
//                 given), else ambiguous (the server forgets keys after an hour);
//       Bluesky   getRecord at the rkey first: found -> Published, absent -> create;
//       Instagram/Threads with a committed container: its status decides (FINISHED -> publish,
//                 PUBLISHED -> find the post in recent media, EXPIRED -> new container); without
//                 one, a new container (an unpublished container is invisible and expires);
//       LinkedIn  part 1 is resent: a DUPLICATE_POST answer names the original post -> Published;
//       X, Facebook, comments (LinkedIn/Instagram/Facebook): ambiguous without sending.
//
// Secrets travel only in the requests (Authorization header, Meta access_token parameter,
// Bluesky login body): log requests through http::redacted(). Failure messages never contain
// the account's secrets, even when a server echoes them.

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
