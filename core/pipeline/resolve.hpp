#pragma once
// Recording what a person found when they looked for a part whose outcome is unknown
// (`growthctl resolve`, post.resolve): published (with the remote id the URL or id names, so the
// next part replies to it) or not published (the part goes back to be sent). Either way
// `retry` continues the thread from there.

#include <optional>
#include <string>

#include "core/pipeline/records.hpp"
#include "core/store/store.hpp"

namespace growth::pipeline {

/// One resolution: part `part` (1-based) of post `post_id` on account `account`.
struct Resolution {
    std::string post_id;
    std::string account;
    int part = 0;
    /// The URL or id the person found it at; nullopt means "not published".
    std::optional<std::string> published;
};

/// Records `r` in one transaction and returns the post as it is then. Only a part in state
/// `unknown` can be resolved. Published: the part becomes `published` with the remote id and
/// URL parsed from r.published as its platform shows them (core/publish/remote_ref.hpp); for
/// Bluesky, whose URLs give no CID, the URL's record key must be the part's and the part goes to
/// `retry_wait` with a check first, so the next retry reads the record (and its CID) back. Not
/// published: the part goes to `retry_wait`, due now, without a check (Bluesky keeps the check,
/// which is free and exact). The target's and the post's states are updated with it.
/// Throws growth::Error("post_not_found") for an unknown post; Error("bad_input") naming what is
/// wrong for an account the post has no target on, a part number out of range, a part that is
/// not `unknown`, an earlier part not published, a removed account, or a URL/id that does not
/// name a post of that platform (nothing is changed then); Error("store_*").
PostRecord resolve_part(Store& store, const Resolution& r, Millis now);

}  // namespace growth::pipeline
