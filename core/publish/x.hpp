#pragma once
// X (Twitter API v2) publisher, platforms.md §1: POST /2/tweets, a thread is a reply chain.
// No idempotency: a lost response or 5xx is ambiguous, and a resumed part is not re-sent.

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
