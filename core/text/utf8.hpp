#pragma once
// UTF-8 validation, decoding and conversion to UTF-16 (the unit twitter-text counts in).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace growth::text {

/// Byte offset of the first byte that is not part of well-formed UTF-8 (overlong forms, surrogates
/// and code points above U+10FFFF are ill-formed), or std::string_view::npos. Throws nothing.
std::size_t find_invalid_utf8(std::string_view s) noexcept;

/// Throws growth::Error("bad_input", "invalid UTF-8 at byte offset N") unless `s` is well-formed.
void require_valid_utf8(std::string_view s);

/// Decodes the code point at `s[i]` of well-formed UTF-8 and advances `i`. Throws nothing.
inline char32_t decode_utf8(std::string_view s, std::size_t& i) noexcept {
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) {
        ++i;
        return b0;
    }
    const auto cont = [&](std::size_t k) { return static_cast<char32_t>(static_cast<unsigned char>(s[i + k]) & 0x3F); };
    char32_t c;
    if (b0 < 0xE0) {
        c = (static_cast<char32_t>(b0 & 0x1F) << 6) | cont(1);
        i += 2;
    } else if (b0 < 0xF0) {
        c = (static_cast<char32_t>(b0 & 0x0F) << 12) | (cont(1) << 6) | cont(2);
        i += 3;
    } else {
        c = (static_cast<char32_t>(b0 & 0x07) << 18) | (cont(1) << 12) | (cont(2) << 6) | cont(3);
        i += 4;
    }
    return c;
}

/// Appends the UTF-8 encoding of `c` (a valid scalar value) to `out`. Throws std::bad_alloc.
void append_utf8(std::string& out, char32_t c);

/// Appends the UTF-16 encoding of `c` to `out`. Throws std::bad_alloc.
inline void append_utf16(std::u16string& out, char32_t c) {
    if (c < 0x10000) {
        out.push_back(static_cast<char16_t>(c));
    } else {
        c -= 0x10000;
        out.push_back(static_cast<char16_t>(0xD800 + (c >> 10)));
        out.push_back(static_cast<char16_t>(0xDC00 + (c & 0x3FF)));
    }
}

/// Number of UTF-16 code units of well-formed UTF-8 `s`. Throws nothing.
std::size_t utf16_length(std::string_view s) noexcept;

/// Converts well-formed UTF-8 to UTF-16, filling `byte_of_unit[k]` with the byte offset in `s` of
/// unit k (plus one final entry equal to s.size()). Throws std::bad_alloc.
void utf8_to_utf16(std::string_view s, std::u16string& out, std::vector<std::uint32_t>& byte_of_unit);

}  // namespace growth::text
