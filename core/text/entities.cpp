#include "core/text/entities.hpp"

#include <algorithm>
#include <cstdint>

#include "core/text/twitter_classes.hpp"
#include "core/text/twitter_url.hpp"
#include "core/text/utf8.hpp"

namespace growth::text {

namespace tw {

namespace {

bool ascii_alnum(char16_t u) {
    return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9');
}
bool ascii_alpha(char16_t u) { return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z'); }
bool at_sign(char16_t u) { return u == '@' || u == 0xFF20; }
bool hash_sign(char16_t u) { return u == '#' || u == 0xFF03; }
bool is_high(char16_t u) { return u >= 0xD800 && u <= 0xDBFF; }
bool is_low(char16_t u) { return u >= 0xDC00 && u <= 0xDFFF; }

// twitter-text's `punct` class (used by cashtags).
bool punct(char16_t u) {
    static constexpr std::u16string_view chars = u"!'#%&()*+,\\-./:;<=>?@[]^_{|}~$";
    return u < 0x80 && chars.find(u) != std::u16string_view::npos;
}

// Code point at i (a pair, a BMP unit, or a lone surrogate as itself) and its length in units.
char32_t cp_at(std::u16string_view t, std::size_t i, std::size_t& len) {
    if (is_high(t[i]) && i + 1 < t.size() && is_low(t[i + 1])) {
        len = 2;
        return 0x10000 + ((t[i] - 0xD800u) << 10) + (t[i + 1] - 0xDC00u);
    }
    len = 1;
    return t[i];
}

bool hashtag_alnum(char32_t c, const std::uint16_t* cls) {
    if (c < 0x10000) return !(c >= 0xD800 && c <= 0xDFFF) && (cls[c] & kHashtagAlnum);
    return astral_hashtag_alnum(c);
}
bool hashtag_alpha(char32_t c, const std::uint16_t* cls) {
    if (c < 0x10000) return !(c >= 0xD800 && c <= 0xDFFF) && (cls[c] & kHashtagAlpha);
    return astral_hashtag_alpha(c);
}

// (?:rt|RT|rT|Rt):?[@＠] at i: returns the index of the at sign or npos.
std::size_t rt_then_at(std::u16string_view t, std::size_t i) {
    if (i + 2 >= t.size() || (t[i] != 'r' && t[i] != 'R') || (t[i + 1] != 't' && t[i + 1] != 'T')) return std::u16string_view::npos;
    std::size_t j = i + 2;
    if (t[j] == ':' && j + 1 < t.size() && at_sign(t[j + 1])) return j + 1;
    return at_sign(t[j]) ? j : std::u16string_view::npos;
}

}  // namespace

void extract_mentions(std::u16string_view t, std::vector<UnitEntity>& out) {
    const std::size_t n = t.size();
    constexpr auto npos = std::u16string_view::npos;
    if (std::none_of(t.begin(), t.end(), at_sign)) return;
    auto name_end = [&](std::size_t at) {  // [a-zA-Z0-9_]{1,20} after the at sign, or npos
        std::size_t j = at + 1;
        while (j < n && j - at - 1 < 20 && (ascii_alnum(t[j]) || t[j] == '_')) ++j;
        return j == at + 1 ? npos : j;
    };
    std::size_t last = 0;
    while (last < n) {
        std::size_t at = npos, end = npos;
        for (std::size_t p = last; p < n && at == npos; ++p) {
            // validMentionPrecedingChars alternatives in order, then the at sign and a name.
            std::size_t cands[4] = {npos, npos, npos, npos};
            if (p == 0 && at_sign(t[0])) cands[0] = 0;
            {
                const char16_t c = t[p];
                const bool excluded = ascii_alnum(c) || c == '_' || c == '!' || c == '#' || c == '$' || c == '%' ||
                                      c == '&' || c == '*' || at_sign(c);
                if (!excluded && p + 1 < n && at_sign(t[p + 1])) cands[1] = p + 1;
            }
            if (p == 0) cands[2] = rt_then_at(t, 0);
            {
                const char16_t c = t[p];
                const bool excluded = ascii_alnum(c) || c == '_' || c == '+' || c == '~' || c == '.' || c == '-';
                if (!excluded) cands[3] = rt_then_at(t, p + 1);
            }
            for (const auto a : cands) {
                if (a == npos) continue;
                const auto e = name_end(a);
                if (e == npos) continue;
                at = a;
                end = e;
                break;
            }
        }
        if (at == npos) return;
        // Optional list: /[a-zA-Z][a-zA-Z0-9_-]{0,24}
        if (end + 1 < n && t[end] == '/' && ascii_alpha(t[end + 1])) {
            std::size_t j = end + 2;
            while (j < n && j - end - 2 < 24 && (ascii_alnum(t[j]) || t[j] == '_' || t[j] == '-')) ++j;
            end = j;
        }
        last = end;
        // endMentionMatch on what follows: an at sign, a Latin accented char, or "://".
        if (end < n) {
            const char16_t c = t[end];
            if (at_sign(c) || (unit_classes()[c] & kLatinAccent)) continue;
            if (c == ':' && end + 2 < n && t[end + 1] == '/' && t[end + 2] == '/') continue;
        }
        out.push_back({EntityKind::mention, at, end, false});
    }
}

void extract_hashtags(std::u16string_view t, std::vector<UnitEntity>& out) {
    const std::size_t n = t.size();
    if (std::none_of(t.begin(), t.end(), hash_sign)) return;
    const auto* cls = unit_classes();
    // Body after the hash at h: the maximal hashtagAlphaNumeric run, valid when it holds a letter
    // (ALNUM* ALPHA ALNUM* after backtracking). Returns the end or npos.
    auto body_end = [&](std::size_t h) {
        std::size_t j = h + 1;
        if (j < n && (t[j] == 0xFE0F || t[j] == 0x20E3)) return std::u16string_view::npos;
        bool alpha = false;
        while (j < n) {
            std::size_t len;
            const char32_t c = cp_at(t, j, len);
            if (!hashtag_alnum(c, cls)) break;
            alpha |= hashtag_alpha(c, cls);
            j += len;
        }
        return alpha ? j : std::u16string_view::npos;
    };
    std::size_t last = 0;
    while (last < n) {
        std::size_t hash = std::u16string_view::npos, end = 0;
        for (std::size_t p = last; p < n && hash == std::u16string_view::npos; ++p) {
            // hashtagBoundary alternatives: ^, U+FE0E, U+FE0F, $, a code point that is not
            // alphanumeric and not '&'. Each puts the hash sign somewhere else.
            std::size_t cands[3] = {std::u16string_view::npos, std::u16string_view::npos, std::u16string_view::npos};
            if (p == 0) cands[0] = 0;
            if (t[p] == 0xFE0E || t[p] == 0xFE0F) {
                cands[1] = p + 1;
            }
            {
                std::size_t len;
                const char32_t c = cp_at(t, p, len);
                const bool lone = len == 1 && c >= 0xD800 && c <= 0xDFFF;
                if (!lone && !hashtag_alnum(c, cls) && c != '&') cands[2] = p + len;
            }
            for (const auto h : cands) {
                if (h == std::u16string_view::npos || h >= n || !hash_sign(t[h])) continue;
                const auto e = body_end(h);
                if (e == std::u16string_view::npos) continue;
                hash = h;
                end = e;
                break;
            }
        }
        if (hash == std::u16string_view::npos) return;
        last = end;
        if (end < n && hash_sign(t[end])) continue;
        if (end + 2 < n && t[end] == ':' && t[end + 1] == '/' && t[end + 2] == '/') continue;
        out.push_back({EntityKind::hashtag, hash, end, false});
    }
}

void extract_cashtags(std::u16string_view t, std::vector<UnitEntity>& out) {
    const std::size_t n = t.size();
    if (t.find(u'$') == std::u16string_view::npos) return;
    const auto* cls = unit_classes();
    auto letter = [&](std::size_t i) { return i < n && ascii_alpha(t[i]); };
    auto follow_ok = [&](std::size_t i) { return i == n || (cls[t[i]] & kJsSpace) || punct(t[i]); };
    // \$ [a-z]{1,6} (?:[._][a-z]{1,2})? (?=$|\s|punct) at the dollar sign d; returns end or npos.
    auto tag_end = [&](std::size_t d) {
        std::size_t j = d + 1;
        while (letter(j) && j - d - 1 < 6) ++j;
        if (j == d + 1 || letter(j)) return std::u16string_view::npos;  // shorter runs end on a letter
        if (j < n && (t[j] == '.' || t[j] == '_') && letter(j + 1)) {
            std::size_t k = j + 2;
            if (letter(k)) ++k;
            if (follow_ok(k)) return k;
            if (k == j + 3 && follow_ok(k - 1)) return k - 1;
        }
        return follow_ok(j) ? j : std::u16string_view::npos;
    };
    std::size_t last = 0;
    while (last < n) {
        std::size_t dollar = std::u16string_view::npos, end = 0;
        for (std::size_t p = last; p < n; ++p) {
            if (p == 0 && t[0] == '$') {
                if (const auto e = tag_end(0); e != std::u16string_view::npos) {
                    dollar = 0;
                    end = e;
                    break;
                }
            }
            if ((cls[t[p]] & kSpace) && p + 1 < n && t[p + 1] == '$') {
                if (const auto e = tag_end(p + 1); e != std::u16string_view::npos) {
                    dollar = p + 1;
                    end = e;
                    break;
                }
            }
        }
        if (dollar == std::u16string_view::npos) return;
        last = end;
        out.push_back({EntityKind::cashtag, dollar, end, false});
    }
}

std::vector<UnitEntity> extract_entities(std::u16string_view t) {
    std::vector<UnitEntity> all;
    std::vector<UrlEntity> urls;
    extract_urls(t, urls);
    for (const auto& u : urls) all.push_back({EntityKind::url, u.start, u.end, u.has_protocol});
    extract_mentions(t, all);
    extract_hashtags(t, all);
    extract_cashtags(t, all);
    std::stable_sort(all.begin(), all.end(), [](const UnitEntity& a, const UnitEntity& b) { return a.start < b.start; });
    std::vector<UnitEntity> kept;
    for (const auto& e : all)
        if (kept.empty() || kept.back().end <= e.start) kept.push_back(e);
    return kept;
}

}  // namespace tw

std::vector<Entity> find_entities(std::string_view text) {
    std::u16string units;
    std::vector<std::uint32_t> byte_of;
    utf8_to_utf16(text, units, byte_of);
    std::vector<Entity> out;
    for (const auto& e : tw::extract_entities(units))
        out.push_back({e.kind, byte_of[e.start], byte_of[std::min(e.end, units.size())], e.has_protocol});
    return out;
}

const char* entity_kind_name(EntityKind kind) noexcept {
    switch (kind) {
        case EntityKind::url: return "url";
        case EntityKind::mention: return "mention";
        case EntityKind::hashtag: return "hashtag";
        case EntityKind::cashtag: return "cashtag";
    }
    return "url";
}

}  // namespace growth::text
