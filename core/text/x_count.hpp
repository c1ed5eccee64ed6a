#pragma once
// X (Twitter) post length: twitter-text v3 parseTweet's weightedLength and validity.

#include <string_view>

namespace growth::text {

/// The part of twitter-text's parseTweet result growth uses.
struct XLength {
    int weighted_length = 0;  ///< weightedLength: 1 or 2 per character, 23 per URL, 2 per emoji
    bool valid = false;       ///< 0 < weightedLength <= 280 and no U+FFFE, U+FEFF, U+FFFF
    bool invalid_characters = false;  ///< U+FFFE, U+FEFF or U+FFFF occurs
};

/// The maximum weighted length of one post (config v3).
inline constexpr int kXMaxWeightedLength = 280;

/// parseTweet(text) for UTF-8 `text` (config v3): NFC, URL entities count 23, twemoji emoji count
/// 2, other characters 1 or 2 by code-unit ranges. Throws growth::Error("bad_input") naming the
/// byte offset when `text` is not well-formed UTF-8.
XLength x_length(std::string_view text);

/// The same for text already known to be well-formed UTF-8. Throws std::bad_alloc only.
XLength x_length_unchecked(std::string_view text);

/// parseTweet on UTF-16 text that is already NFC. Throws std::bad_alloc only.
XLength x_length_nfc_utf16(std::u16string_view text);

}  // namespace growth::text
