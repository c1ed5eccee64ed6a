#include "core/text/x_count.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "core/text/normalize.hpp"
#include "core/text/twitter_emoji.hpp"
#include "core/text/twitter_url.hpp"
#include "core/text/utf8.hpp"

namespace growth::text {

namespace {

constexpr int kScale = 100;
constexpr int kDefaultWeight = 200;
constexpr int kUrlWeight = 23 * kScale;

int unit_weight(char16_t u) {
    if (u <= 4351 || (u >= 8192 && u <= 8205) || (u >= 8208 && u <= 8223) || (u >= 8242 && u <= 8247))
        return 100;
    return kDefaultWeight;
}

bool invalid_unit(char16_t u) { return u == 0xFFFE || u == 0xFEFF || u == 0xFFFF; }

}  // namespace

XLength x_length_nfc_utf16(std::u16string_view t) {
    thread_local std::vector<tw::UrlEntity> urls;
    urls.clear();
    tw::extract_urls(t, urls);
    const std::size_t n = t.size();
    long long weighted = 0;
    bool valid = true;
    std::size_t ui = 0;
    // The emoji regex scans the whole text on its own (matches may start inside URLs).
    std::size_t emoji_start = 0, emoji_len = 0;
    bool emoji_started = false;
    const std::uint64_t* emoji_first = tw::emoji_first_bits();
    auto next_emoji = [&](std::size_t from) {
        for (std::size_t p = from; p < n; ++p) {
            if (!((emoji_first[t[p] >> 6] >> (t[p] & 63)) & 1)) continue;
            if (const auto len = tw::match_emoji(t, p)) {
                emoji_start = p;
                emoji_len = len;
                return;
            }
        }
        emoji_start = n;
        emoji_len = 0;
    };
    std::size_t ci = 0;
    while (ci < n) {
        while (ui < urls.size() && urls[ui].start < ci) ++ui;
        // parseTweet hashes entities by start index, so the last one with this start wins.
        while (ui + 1 < urls.size() && urls[ui + 1].start == ci) ++ui;
        if (ui < urls.size() && urls[ui].start == ci) {
            weighted += kUrlWeight;
            ci += urls[ui].url_length - 1;
            if (valid && ci < n && invalid_unit(t[ci])) valid = false;
            ++ci;
            continue;
        }
        if (!emoji_started) {
            next_emoji(0);
            emoji_started = true;
        }
        while (emoji_start < ci) next_emoji(emoji_start + emoji_len);
        if (emoji_start == ci) {
            weighted += kDefaultWeight;
            ci += emoji_len - 1;
            if (valid && invalid_unit(t[ci])) valid = false;
            ++ci;
            continue;
        }
        // Plain characters up to the next URL or emoji.
        const std::size_t stop = std::min(emoji_start, ui < urls.size() ? urls[ui].start : n);
        for (; ci < stop; ++ci) {
            const char16_t u = t[ci];
            if (u < 0x1100) {  // the common case: weight 1
                weighted += 100;
                continue;
            }
            if (u >= 0xD800 && u <= 0xDBFF && ci + 1 < n && t[ci + 1] >= 0xDC00 && t[ci + 1] <= 0xDFFF) {
                ++ci;  // a surrogate pair: weighed by its low surrogate, which is never in a range
                weighted += kDefaultWeight;
                continue;
            }
            weighted += unit_weight(u);
            if (invalid_unit(u)) valid = false;
        }
    }
    XLength r;
    r.weighted_length = static_cast<int>(weighted / kScale);
    r.invalid_characters = !valid;
    r.valid = valid && r.weighted_length > 0 && r.weighted_length <= kXMaxWeightedLength;
    return r;
}

XLength x_length_unchecked(std::string_view text) {
    // ASCII without a '.' holds no URL (a domain needs a dot) and no emoji (every twemoji
    // sequence has a non-ASCII unit), and every ASCII character weighs 1.
    bool simple = true;
    for (const char c : text) {
        if (static_cast<unsigned char>(c) >= 0x80 || c == '.') {
            simple = false;
            break;
        }
    }
    if (simple) {
        XLength r;
        r.weighted_length = static_cast<int>(text.size());
        r.valid = r.weighted_length > 0 && r.weighted_length <= kXMaxWeightedLength;
        return r;
    }
    thread_local std::u16string buf;
    std::size_t bad = 0;
    if (utf16_if_nfc_stable(text, buf, bad) != Utf16Status::ok) nfc_utf16_slow(text, buf);
    return x_length_nfc_utf16(buf);
}

XLength x_length(std::string_view text) {
    thread_local std::u16string buf;
    std::size_t bad = 0;
    switch (utf16_if_nfc_stable(text, buf, bad)) {
        case Utf16Status::ok: return x_length_nfc_utf16(buf);
        case Utf16Status::invalid: require_valid_utf8(text); break;  // throws, naming the offset
        case Utf16Status::needs_nfc: require_valid_utf8(text); break;  // the pass stopped early
    }
    nfc_utf16_slow(text, buf);
    return x_length_nfc_utf16(buf);
}

}  // namespace growth::text
