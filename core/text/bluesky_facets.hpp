#pragma once
// Bluesky rich-text facets: links, mentions and tags with UTF-8 byte offsets.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace growth::text {

/// One app.bsky.richtext.facet candidate.
struct BlueskyFacet {
    enum class Kind { link, mention, tag } kind = Kind::link;
    std::size_t byte_start = 0;  ///< inclusive, UTF-8 bytes of the post text
    std::size_t byte_end = 0;    ///< exclusive
    std::string value;           ///< link: the URI (https:// added to bare domains);
                                 ///< mention: the handle without '@' (resolve it to a DID);
                                 ///< tag: the tag without '#'
};

/// Facets of well-formed UTF-8 post text `text` (compute them on the final text of each part).
/// Links are twitter-text URLs; mentions are @handles that contain a dot (Bluesky handles are
/// domain names); tags are twitter-text hashtags of at most 64 graphemes. Throws std::bad_alloc.
std::vector<BlueskyFacet> bluesky_facets(std::string_view text);

}  // namespace growth::text
