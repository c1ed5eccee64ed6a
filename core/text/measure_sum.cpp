#include "core/text/measure_sum.hpp"

#include "core/text/twitter_emoji.hpp"
#include "core/text/utf8.hpp"

namespace growth::text::detail {

namespace {

bool ascii_name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
           c == '-';
}

}  // namespace

bool additive_token(Platform p, std::string_view token) {
    // Graphemes, UTF-16 units and bytes add up at any grapheme boundary.
    if (p == Platform::linkedin || p == Platform::facebook || p == Platform::bluesky) return true;
    const std::uint64_t* emoji_first = tw::emoji_first_bits();
    for (std::size_t i = 0; i < token.size();) {
        const char32_t c = decode_utf8(token, i);
        if (c == '#' || c == 0xFF03) return false;
        // A mention or cashtag needs an ASCII name character after its sign.
        if ((c == '@' || c == 0xFF20 || c == '$') && i < token.size() && ascii_name_char(token[i])) return false;
        if (c == '.' && i < token.size()) return false;  // a final '.' is no domain dot: no TLD follows
        // The first UTF-16 unit of c: the high surrogate of an astral code point.
        const auto u = static_cast<char16_t>(c < 0x10000 ? c : 0xD800 + ((c - 0x10000) >> 10));
        if ((emoji_first[u >> 6] >> (u & 63)) & 1) return false;
    }
    return true;
}

bool same_after_space(std::string_view s) noexcept {
    if (s.empty()) return true;
    const char c = s[0];
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    return alnum && (s.size() == 1 || static_cast<unsigned char>(s[1]) < 0x80);
}

bool plain_ascii(std::string_view s) noexcept {
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (c <= ' ' || c >= 0x7F || c == '.' || c == '@' || c == '#' || c == '$') return false;
    }
    return true;
}

}  // namespace growth::text::detail
