#pragma once
// LinkedIn publisher, platforms.md §2: part 1 is a post (`POST /rest/posts`, versioned headers,
// commentary in little-text format); later parts are comments on it
// (`/rest/socialActions/{urn}/comments`, or `/v2/...` when configured). The new URN comes back
// in the `x-restli-id` header. No idempotency key: after a lost answer to part 1, and before
// re-sending a resumed part 1, the author's posts are read back (GET /rest/posts?q=author, which
// needs r_member_social); where the token cannot read them, a resumed post relies on
// LinkedIn's DUPLICATE_POST answer, which names the original URN (§2.6). Comments stay
// ambiguous.

#include <memory>
#include <string>
#include <string_view>

#include "core/publish/publisher.hpp"

namespace growth::publish::linkedin {

inline constexpr std::string_view kDefaultApiBase = "https://api.linkedin.com";
inline constexpr std::string_view kDefaultWebBase = "https://www.linkedin.com";

/// The publisher for one part (`Account::user_id` = author URN, `urn:li:person:{id}` or
/// `urn:li:organization:{id}`). Does not throw beyond std::bad_alloc.
std::unique_ptr<PartPublisher> make_publisher(const Account& account, Part part);

/// GET /v2/userinfo (OpenID Connect; `sub` is the member id). Does not throw beyond bad_alloc.
std::unique_ptr<WhoAmI> make_whoami(const Account& account);

/// `text` with every little-text reserved character (`| { } @ [ ] ( ) < > # \ * _ ~`)
/// backslash-escaped, so LinkedIn shows it literally and does not truncate it. Does not throw
/// beyond std::bad_alloc.
std::string escape_little_text(std::string_view text);

/// `https://www.linkedin.com/feed/update/{urn}/`. Does not throw beyond std::bad_alloc.
std::string post_url(const Account& account, std::string_view urn);

/// The first `urn:li:share:N` / `urn:li:ugcPost:N` in `message`, or "". Never throws beyond
/// std::bad_alloc.
std::string find_post_urn(std::string_view message);

}  // namespace growth::publish::linkedin
