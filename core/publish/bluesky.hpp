#pragma once
// Bluesky / AT Protocol publisher, platforms.md §7: app-password sessions kept by the publisher
// (createSession / refreshSession), posts created with com.atproto.repo.createRecord at a
// client-chosen record key (a TID), replies with root/parent strong refs, facets by UTF-8 byte
// offsets. Because the rkey fixes the record's identity, a lost response or 5xx is checked with
// com.atproto.repo.getRecord instead of being ambiguous.

#include <memory>
#include <string>
#include <string_view>

#include "core/publish/publisher.hpp"

namespace growth::publish::bluesky {

inline constexpr std::string_view kDefaultApiBase = "https://bsky.social";
inline constexpr std::string_view kDefaultWebBase = "https://bsky.app";

/// The publisher for one part. `Part::idempotency_key` must be a TID (the record key), and
/// parts after the first need `parent` and `root` with both id (at:// URI) and cid.
/// Session changes are handed out as Checkpoint::session on the next Send. Does not throw
/// beyond std::bad_alloc.
std::unique_ptr<PartPublisher> make_publisher(const Account& account, Part part);

/// com.atproto.server.getSession (logging in or refreshing first when needed). Does not throw
/// beyond std::bad_alloc.
std::unique_ptr<WhoAmI> make_whoami(const Account& account);

/// `https://bsky.app/profile/{did}/post/{rkey}`. Does not throw beyond std::bad_alloc.
std::string post_url(const Account& account, std::string_view did, std::string_view rkey);

/// The `{did}` and `{rkey}` of `at://{did}/{collection}/{rkey}`; false when malformed.
/// Never throws beyond std::bad_alloc.
bool split_at_uri(std::string_view uri, std::string& did, std::string& rkey);

}  // namespace growth::publish::bluesky
