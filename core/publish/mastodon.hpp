#pragma once
// Mastodon publisher, platforms.md §6: POST /api/v1/statuses with `Idempotency-Key`; a thread is
// an in_reply_to_id chain. The key makes a resend after a lost response or 5xx safe for about
// an hour, so those outcomes are retry_safe rather than ambiguous.

#include <chrono>
#include <memory>
#include <string_view>

#include "core/publish/publisher.hpp"

namespace growth::publish::mastodon {

/// How long after the first attempt a resend with the same key is still trusted; the server
/// keeps keys for one hour (§6.6), minus a margin for clock skew.
inline constexpr std::chrono::minutes kIdempotencyWindow{55};

/// The publisher for one part (`Part::idempotency_key` is required). Does not throw beyond
/// std::bad_alloc.
std::unique_ptr<PartPublisher> make_publisher(const Account& account, Part part);

/// GET /api/v1/accounts/verify_credentials. Does not throw beyond std::bad_alloc.
std::unique_ptr<WhoAmI> make_whoami(const Account& account);

}  // namespace growth::publish::mastodon
