#pragma once
// X (Twitter API v2) publisher, platforms.md §1: POST /2/tweets, a thread is a reply chain.
// No idempotency: after a lost response, a 5xx or an unreadable 2xx, and before re-sending a
// resumed part, the account's timeline is read back (GET /2/users/me, then
// GET /2/users/{id}/tweets since the attempt): found -> Published, absent -> sent again (after
// one more check), a timeline the token cannot read (401/403) or that cannot tell -> ambiguous.

#include <memory>
#include <string>
#include <string_view>

#include "core/publish/publisher.hpp"

namespace growth::publish::x {

inline constexpr std::string_view kDefaultApiBase = "https://api.x.com";
inline constexpr std::string_view kDefaultWebBase = "https://x.com";

/// The publisher for one part. Does not throw beyond std::bad_alloc.
std::unique_ptr<PartPublisher> make_publisher(const Account& account, Part part);

/// GET /2/users/me. Does not throw beyond std::bad_alloc.
std::unique_ptr<WhoAmI> make_whoami(const Account& account);

/// `https://x.com/{username}/status/{id}`, or `https://x.com/i/status/{id}` without a username.
/// Does not throw beyond std::bad_alloc.
std::string post_url(const Account& account, std::string_view id);

}  // namespace growth::publish::x
