#pragma once
// Instagram publisher, platforms.md §4: part 1 is an image post through a media container
// (`/{ig-user-id}/media` -> `/{ig-user-id}/media_publish`, then its permalink); later parts are
// comments on it (Instagram has no threads). Instagram needs a public image URL for part 1.

#include <memory>
#include <string_view>

#include "core/publish/publisher.hpp"

namespace growth::publish::instagram {

inline constexpr std::string_view kDefaultApiBase = "https://graph.facebook.com/v25.0";

/// The publisher for one part (`Account::user_id` = IG user id). Does not throw beyond
/// std::bad_alloc.
std::unique_ptr<PartPublisher> make_publisher(const Account& account, Part part);

/// GET /{ig-user-id}?fields=id,username. Does not throw beyond std::bad_alloc.
std::unique_ptr<WhoAmI> make_whoami(const Account& account);

}  // namespace growth::publish::instagram
