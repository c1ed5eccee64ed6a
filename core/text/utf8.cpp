#include "core/text/utf8.hpp"

#include <fmt/format.h>

#include "core/error.hpp"

namespace growth::text {

std::size_t find_invalid_utf8(std::string_view s) noexcept {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const std::size_t n = s.size();
    std::size_t i = 0;
    while (i < n) {
        // Eight ASCII bytes at a time: most text is mostly ASCII.
        while (i + 8 <= n) {
            std::uint64_t w;
            __builtin_memcpy(&w, p + i, 8);
            if (w & 0x8080808080808080ULL) break;
            i += 8;
        }
        if (i >= n) break;
        const unsigned char b = p[i];
        if (b < 0x80) {
            ++i;
            continue;
        }
        std::size_t len;
        unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
        if (b >= 0xC2 && b <= 0xDF) {
            len = 2;
        } else if (b >= 0xE0 && b <= 0xEF) {
            len = 3;
            if (b == 0xE0) lo = 0xA0;       // no overlong forms
            if (b == 0xED) hi = 0x9F;       // no surrogates
        } else if (b >= 0xF0 && b <= 0xF4) {
            len = 4;
            if (b == 0xF0) lo = 0x90;       // no overlong forms
            if (b == 0xF4) hi = 0x8F;       // nothing above U+10FFFF
        } else {
            return i;
        }
        if (i + 1 >= n || p[i + 1] < lo || p[i + 1] > hi) return i;
        for (std::size_t k = 2; k < len; ++k)
            if (i + k >= n || (p[i + k] & 0xC0) != 0x80) return i;
        i += len;
    }
    return std::string_view::npos;
}

void require_valid_utf8(std::string_view s) {
    const auto bad = find_invalid_utf8(s);
    if (bad != std::string_view::npos)
        throw Error("bad_input", fmt::format("invalid UTF-8 at byte offset {}", bad));
}

void append_utf8(std::string& out, char32_t c) {
    if (c < 0x80) {
        out.push_back(static_cast<char>(c));
    } else if (c < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (c >> 6)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (c >> 12)));
        out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (c >> 18)));
        out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
}

std::size_t utf16_length(std::string_view s) noexcept {
    std::size_t units = 0;
    for (const char ch : s) {
        const auto b = static_cast<unsigned char>(ch);
        if ((b & 0xC0) != 0x80) units += 1;  // a lead byte starts a code point
        if (b >= 0xF0) units += 1;           // four-byte forms need a surrogate pair
    }
    return units;
}

void utf8_to_utf16(std::string_view s, std::u16string& out, std::vector<std::uint32_t>& byte_of_unit) {
    out.clear();
    byte_of_unit.clear();
    out.reserve(s.size());
    byte_of_unit.reserve(s.size() + 1);
    std::size_t i = 0;
    while (i < s.size()) {
        const auto at = static_cast<std::uint32_t>(i);
        const char32_t c = decode_utf8(s, i);
        append_utf16(out, c);
        byte_of_unit.push_back(at);
        if (c >= 0x10000) byte_of_unit.push_back(at);
    }
    byte_of_unit.push_back(static_cast<std::uint32_t>(s.size()));
}

}  // namespace growth::text
