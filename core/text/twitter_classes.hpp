#pragma once
// O(1) membership tests for twitter-text's character classes over UTF-16 code units, built once
// from the generated ranges in twitter_tables.cpp.

#include <cstdint>

namespace growth::text::tw {

/// One bit per class in the unit table.
enum ClassBit : std::uint16_t {
    kUrlPreceding = 1 << 0,
    kDomainChar = 1 << 1,
    kPathChar = 1 << 2,
    kPathEnd = 1 << 3,
    kQueryChar = 1 << 4,
    kQueryEnd = 1 << 5,
    kTldFollower = 1 << 6,
    kAsciiLabel = 1 << 7,
    kLatinAccent = 1 << 8,
    kSpace = 1 << 9,
    kJsSpace = 1 << 10,
    kHashtagAlpha = 1 << 11,  ///< BMP part of hashtagAlpha
    kHashtagAlnum = 1 << 12,  ///< BMP part of hashtagAlphaNumeric
};

/// The class bits of every UTF-16 code unit (65536 entries). Thread-safe; throws nothing after
/// the first call (which may throw std::bad_alloc).
const std::uint16_t* unit_classes();

/// Whether `unit` is in every class of `bits`. Throws nothing.
inline bool is(const std::uint16_t* table, char16_t unit, std::uint16_t bits) noexcept {
    return (table[unit] & bits) != 0;
}

/// Whether astral code point `cp` is in hashtagAlpha / hashtagAlphaNumeric. Throws nothing.
bool astral_hashtag_alpha(char32_t cp) noexcept;
bool astral_hashtag_alnum(char32_t cp) noexcept;

}  // namespace growth::text::tw
