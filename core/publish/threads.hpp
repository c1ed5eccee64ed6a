#pragma once
// Threads publisher, platforms.md §5: every part is a container (`/{user}/threads`, replies with
// `reply_to_id`) published with `/{user}/threads_publish`, then its permalink is read.

#include <memory>
#include <string_view>

#include "core/publish/publisher.hpp"

namespace growth::publish::threads {

inline constexpr std::string_view kDefaultApiBase = "https://graph.threads.net/v1.0";

/// The publisher for one part (`Account::user_id` = Threads user id, default "me"). A part
/// with a media URL becomes an IMAGE post. Does not throw beyond std::bad_alloc.
std::unique_ptr<PartPublisher> make_publisher(const Account& account, Part part);

/// GET /me?fields=id,username. Does not throw beyond std::bad_alloc.
std::unique_ptr<WhoAmI> make_whoami(const Account& account);

}  // namespace growth::publish::threads
