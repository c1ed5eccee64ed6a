#pragma once
// Data taken verbatim from the npm twitter-text and twemoji-parser packages (see the generated
// twitter_tables.cpp for versions and the generator). Only twitter_*.cpp should need these.

#include <cstddef>
#include <span>
#include <string_view>

namespace growth::text::tables {

/// An inclusive range of UTF-16 code units.
struct UnitRange {
    char16_t lo;
    char16_t hi;
};

/// An inclusive range of Unicode code points.
struct CodePointRange {
    char32_t lo;
    char32_t hi;
};

// Character classes of twitter-text's URL regexes, computed with the flags they carry there.
extern const std::span<const UnitRange> url_preceding;            ///< validUrlPrecedingChars
extern const std::span<const UnitRange> domain_char;              ///< validDomainChars
extern const std::span<const UnitRange> path_char;                ///< validGeneralUrlPathChars
extern const std::span<const UnitRange> path_end_char;            ///< validUrlPathEndingChars
extern const std::span<const UnitRange> query_char;               ///< validUrlQueryChars
extern const std::span<const UnitRange> query_end_char;           ///< validUrlQueryEndingChars
extern const std::span<const UnitRange> tld_follower;             ///< [^0-9a-zA-Z@+-] after a TLD
extern const std::span<const UnitRange> ascii_domain_label_char;  ///< label chars of validAsciiDomain
extern const std::span<const UnitRange> latin_accent;             ///< latinAccentChars
extern const std::span<const UnitRange> spaces;                   ///< spaces
extern const std::span<const UnitRange> js_space;                 ///< JavaScript \s
extern const std::span<const CodePointRange> hashtag_alpha;       ///< hashtagAlpha
extern const std::span<const CodePointRange> hashtag_alnum;       ///< hashtagAlphaNumeric

/// validGTLD then validCCTLD alternatives in order (UTF-8).
extern const std::span<const std::string_view> tlds;
/// Pairs {text unit, TLD unit} that the case-insensitive regex treats as equal, sorted.
extern const std::span<const UnitRange> tld_case_pairs;
/// The emoji regex's language in priority order: length, then units; 0 = "next unit is not U+FE0E".
extern const std::span<const char16_t> emoji_paths;

}  // namespace growth::text::tables
