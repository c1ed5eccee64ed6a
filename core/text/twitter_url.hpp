#pragma once
// twitter-text's URL extraction (extractUrlsWithIndices), reproduced over UTF-16 code units with
// the same regex semantics, TLD lists and validity checks, so that X counts URLs exactly as X does.

#include <cstddef>
#include <string_view>
#include <vector>

namespace growth::text::tw {

/// One URL entity as twitter-text reports it (UTF-16 indices).
struct UrlEntity {
    std::size_t start = 0;       ///< indices[0]
    std::size_t end = 0;         ///< indices[1]
    std::size_t url_length = 0;  ///< url.length, which parseTweet skips (may differ from end-start)
    bool has_protocol = false;   ///< written with http:// or https://
};

/// Appends the URL entities of `text` to `out` in order, like extractUrlsWithIndices(text) with
/// extractUrlsWithoutProtocol: true. Throws std::bad_alloc only.
void extract_urls(std::u16string_view text, std::vector<UrlEntity>& out);

}  // namespace growth::text::tw
