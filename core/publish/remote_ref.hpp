#pragma once
// What a person found when they looked for a part themselves (`growthctl resolve --published`):
// the platform's URL of the post or comment, or its id, turned into the Published record growth
// would have stored, so the next part replies to the right thing. URL forms are the ones
// platforms.md and the sandbox README list.

#include <optional>
#include <string>
#include <string_view>

#include "core/publish/types.hpp"

namespace growth::publish {

/// The Published for part `index` of a thread on `account` (root = part 1's ref, required for
/// index > 1) from `given`, a URL or an id:
///   x          https://x.com/{user}/status/{id} (also twitter.com, i/status), or the numeric id;
///   linkedin   .../feed/update/{urn}/ or urn:li:share:N / urn:li:ugcPost:N; comments
///              urn:li:comment:(...) or a URL with commentUrn=;
///   facebook   https://www.facebook.com/{page}/posts/{post}, permalink.php?story_fbid=&id=,
///              {page}_{post} or {post}; comments a URL with comment_id=, {post}_{comment} or
///              {comment};
///   instagram, threads  the numeric media (or comment) id (their URLs name a shortcode, not the
///              id the API needs);
///   mastodon   {instance}/@{user}/{id}, .../statuses/{id}, or the numeric id.
/// Bluesky is not handled here (a URL gives no CID): nullopt with `problem` saying so.
/// nullopt when `given` is not one of these forms, with `problem` saying which are accepted.
/// Never throws beyond std::bad_alloc.
std::optional<Published> published_from_user(const Account& account, std::string_view given,
                                             int index, const std::optional<PartRef>& root,
                                             std::string& problem);

/// The record key (rkey) in a Bluesky post URL (https://bsky.app/profile/{who}/post/{rkey}) or
/// at:// URI; "" when `given` is neither. Never throws beyond std::bad_alloc.
std::string bluesky_rkey_of(std::string_view given);

}  // namespace growth::publish
