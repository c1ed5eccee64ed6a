#pragma once
// Facebook Pages publisher, platforms.md §3: part 1 is a Page post (`/{page-id}/feed`, or
// `/{page-id}/photos` with a media URL); later parts are comments on it. Graph API has no
// idempotency: after a lost response, a 5xx, a temporary Graph error or an unreadable 2xx, and
// before re-sending a resumed part, the Page feed (part 1) or the post's comments are read back:
// found -> Published, absent -> sent again (after one more check), cannot tell -> ambiguous.

#include <memory>
#include <string>
#include <string_view>

#include "core/publish/publisher.hpp"

namespace growth::publish::facebook {

inline constexpr std::string_view kDefaultApiBase = "https://graph.facebook.com/v25.0";
inline constexpr std::string_view kDefaultWebBase = "https://www.facebook.com";

/// The publisher for one part (`Account::user_id` is the Page id, `access_token` the Page
/// token). Does not throw beyond std::bad_alloc.
std::unique_ptr<PartPublisher> make_publisher(const Account& account, Part part);

/// GET /me?fields=id,name with the Page token. Does not throw beyond std::bad_alloc.
std::unique_ptr<WhoAmI> make_whoami(const Account& account);

/// Public URL of a post id `{page}_{post}`: `https://www.facebook.com/{page}/posts/{post}`
/// (constructed; platforms.md marks it unconfirmed). Does not throw beyond std::bad_alloc.
std::string post_url(const Account& account, std::string_view post_id);

/// Public URL of comment `{post}_{comment}` under the post at `post_url`:
/// `{post_url}?comment_id={comment}`. Does not throw beyond std::bad_alloc.
std::string comment_url(std::string_view post_url, std::string_view comment_id);

}  // namespace growth::publish::facebook
