#pragma once
// Extended grapheme clusters (UAX #29, via utf8proc) of well-formed UTF-8.

#include <cstddef>
#include <string_view>
#include <vector>

namespace growth::text {

/// Calls `f(start, end)` with the byte range of every grapheme cluster of well-formed UTF-8 `s`,
/// in order. Throws whatever `f` throws.
template <class F>
void for_each_grapheme(std::string_view s, F&& f);

/// Number of extended grapheme clusters of well-formed UTF-8 `s`. Throws nothing.
std::size_t grapheme_count(std::string_view s) noexcept;

/// Byte offsets of every grapheme boundary of well-formed UTF-8 `s`, from 0 to s.size()
/// inclusive. Throws std::bad_alloc.
std::vector<std::size_t> grapheme_boundaries(std::string_view s);

/// Whether the cluster (well-formed UTF-8) holds an emoji: an Extended_Pictographic code point or
/// a regional indicator. Throws nothing.
bool grapheme_is_emoji(std::string_view cluster) noexcept;

namespace detail {
bool grapheme_break(char32_t prev, char32_t next, int& state) noexcept;
}  // namespace detail

}  // namespace growth::text

#include "core/text/utf8.hpp"

namespace growth::text {

template <class F>
void for_each_grapheme(std::string_view s, F&& f) {
    if (s.empty()) return;
    int state = 0;
    std::size_t i = 0, start = 0;
    char32_t prev = decode_utf8(s, i);
    while (i < s.size()) {
        const std::size_t at = i;
        const char32_t c = decode_utf8(s, i);
        if (detail::grapheme_break(prev, c, state)) {
            f(start, at);
            start = at;
        }
        prev = c;
    }
    f(start, s.size());
}

}  // namespace growth::text
