#include "core/text/split_breaks.hpp"

#include <utf8proc.h>

#include <algorithm>

#include "core/text/entities.hpp"
#include "core/text/grapheme.hpp"
#include "core/text/utf8.hpp"

namespace growth::text::detail {

namespace {

// Characters a line may break at (UAX #14 mandatory and space breaks); no-break spaces excluded.
bool is_break_space(char32_t c) {
    switch (c) {
        case ' ': case '\t': case '\n': case '\r': case '\f': case '\v':
        case 0x1680: case 0x2028: case 0x2029: case 0x205F: case 0x3000: return true;
        default: return c >= 0x2000 && c <= 0x200A && c != 0x2007;
    }
}

bool closing(char32_t c) {
    switch (c) {
        case '"': case '\'': case ')': case ']': case '}': case 0x201D: case 0x2019: case 0xBB:
        case 0x300D: case 0x300F: case 0xFF09: case '*': case '_': return true;
        default: return false;
    }
}

int punct_level(char32_t c) {
    switch (c) {
        case '.': case '!': case '?': case 0x2026: case 0x3002: case 0xFF01: case 0xFF1F: case 0x203C:
        case 0x2049: case 0xFF0E: case 0x0964: case 0x061F: return kSentence;
        case ',': case ';': case ':': case 0x2014: case 0x2013: case 0x3001: case 0xFF0C: case 0xFF1B:
        case 0xFF1A: case 0x060C: return kClause;
        default: return kWord;
    }
}

char32_t last_code_point(std::string_view s, std::size_t end, std::size_t floor, std::size_t& at) {
    std::size_t b = end - 1;
    while (b > floor && (static_cast<unsigned char>(s[b]) & 0xC0) == 0x80) --b;
    at = b;
    std::size_t i = b;
    return decode_utf8(s, i);
}

bool wide(char32_t c) {
    return c >= 0x1100 && utf8proc_charwidth(static_cast<utf8proc_int32_t>(c)) == 2 &&
           utf8proc_get_property(static_cast<utf8proc_int32_t>(c))->boundclass != UTF8PROC_BOUNDCLASS_EXTENDED_PICTOGRAPHIC;
}


bool is_marker_line(std::string_view line) {
    std::size_t i = 0;
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (line.substr(i, 3) != "---") return false;
    i += 3;
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
    return i == line.size();
}

}  // namespace

bool EntityGuard::inside(std::size_t x) {
    if (x == 0 || x >= text_.size()) return false;
    if (!(x > start_ && x < end_)) {
        // The token around x: a break space on either side means x is at its edge.
        std::size_t at = x;
        if (is_break_space(decode_utf8(text_, at))) return false;
        std::size_t s = x;
        while (s > 0) {
            std::size_t before;
            if (is_break_space(last_code_point(text_, s, 0, before))) break;
            s = before;
        }
        if (s == x) return false;
        std::size_t e = x;
        while (e < text_.size()) {
            std::size_t next = e;
            if (is_break_space(decode_utf8(text_, next))) break;
            e = next;
        }
        start_ = s;
        end_ = e;
        // Searched with the space on either side, so that the token's edges look as they do in
        // the whole text (an edge is where a combining mark may follow a line break).
        std::size_t from = s, to = e;
        if (from > 0) last_code_point(text_, from, 0, from);
        if (to < text_.size()) decode_utf8(text_, to);
        spans_.clear();
        for (const auto& ent : find_entities(text_.substr(from, to - from))) spans_.emplace_back(from + ent.start, from + ent.end);
    }
    auto it = std::upper_bound(spans_.begin(), spans_.end(), x,
                               [](std::size_t v, const std::pair<std::size_t, std::size_t>& sp) { return v < sp.first; });
    if (it == spans_.begin()) return false;
    --it;
    return x > it->first && x < it->second;
}

std::vector<std::pair<std::size_t, std::size_t>> explicit_segments(std::string_view text) {
    std::vector<std::pair<std::size_t, std::size_t>> raw;
    std::size_t seg_start = 0;
    for (std::size_t line = 0; line <= text.size();) {
        std::size_t nl = text.find('\n', line);
        if (nl == std::string_view::npos) nl = text.size();
        if (is_marker_line(text.substr(line, nl - line))) {
            raw.emplace_back(seg_start, line);
            seg_start = std::min(nl + 1, text.size());
        }
        line = nl + 1;
    }
    raw.emplace_back(seg_start, text.size());
    std::vector<std::pair<std::size_t, std::size_t>> out;
    for (auto [s, e] : raw) {
        // Trim whitespace by code point.
        while (s < e) {
            std::size_t i = s;
            if (!is_break_space(decode_utf8(text, i))) break;
            s = i;
        }
        while (e > s) {
            std::size_t at;
            if (!is_break_space(last_code_point(text, e, s, at))) break;
            e = at;
        }
        if (s < e) out.emplace_back(s, e);
    }
    return out;
}

void find_breaks(std::string_view text, std::size_t start, std::size_t end, EntityGuard& entities,
                 std::vector<Break>& out) {
    const std::string_view seg = text.substr(start, end - start);
    const std::size_t n = seg.size();
    out.reserve(out.size() + n / 4 + 2);  // about one break a word; growing the vector cost copies
    out.push_back({start, start, kForced});
    std::size_t ws_start = std::string_view::npos;
    int newlines = 0;
    char32_t prev_last = 0;            // the last code point of the previous non-space grapheme
    bool prev_wide = false;            // wide(prev_last), looked up once per grapheme
    bool have_prev = false;
    // A cluster [gs, ge) of first and last code points `first` and `last` (`single`: the same one).
    auto on_grapheme = [&](std::size_t gs, std::size_t ge, char32_t first, char32_t last, bool single) {
        const bool space = is_break_space(first) && (single || (first == '\r' && seg[gs + 1] == '\n'));
        if (space) {
            if (ws_start == std::string_view::npos) {
                ws_start = gs;
                newlines = 0;
            }
            for (std::size_t k = gs; k < ge; ++k) newlines += seg[k] == '\n';
            if (first == 0x2028 || first == 0x2029) ++newlines;
            return;
        }
        const bool first_wide = wide(first);
        if (ws_start != std::string_view::npos) {
            int level = kWord;
            if (newlines >= 2) {
                level = kParagraph;
            } else if (newlines == 1) {
                level = kLine;
            } else {
                // The punctuation before the space, looking through closing quotes/brackets.
                std::size_t e = ws_start;
                while (e > 0) {
                    std::size_t at;
                    const char32_t c = last_code_point(seg, e, 0, at);
                    if (!closing(c)) {
                        level = punct_level(c);
                        break;
                    }
                    e = at;
                }
            }
            // No entity holds a space: a space always breaks.
            out.push_back({start + ws_start, start + gs, level});
            ws_start = std::string_view::npos;
        } else if (have_prev && (prev_wide || first_wide) && !entities.inside(start + gs)) {
            // Between CJK characters, or after full-width punctuation: no space needed to break.
            const int pl = punct_level(prev_last);
            if (pl != kWord || (prev_wide && first_wide))
                out.push_back({start + gs, start + gs, pl});
        }
        prev_last = last;
        prev_wide = single ? first_wide : wide(last);
        have_prev = true;
    };
    // The grapheme clusters of for_each_grapheme, scanned by bytes: an ASCII byte followed by
    // another (but CR LF) is a cluster on its own, and after a non-wide character outside
    // whitespace a run of such non-space bytes changes nothing but the last code point.
    auto byte_at = [&](std::size_t k) { return static_cast<unsigned char>(seg[k]); };
    int state = 0;
    for (std::size_t gs = 0; gs < n;) {
        const unsigned char b = byte_at(gs);
        if (b < 0x80 && (gs + 1 == n || (byte_at(gs + 1) < 0x80 && !(b == '\r' && seg[gs + 1] == '\n')))) {
            state = 0;  // what grapheme_break leaves after two ASCII characters
            on_grapheme(gs, gs + 1, b, b, true);
            std::size_t ge = gs + 1;
            if (ws_start == std::string_view::npos && !prev_wide) {
                while (ge + 1 < n && byte_at(ge) > ' ' && byte_at(ge) < 0x80 && byte_at(ge + 1) < 0x80) ++ge;
                if (ge > gs + 1) prev_last = byte_at(ge - 1);
            }
            gs = ge;
            continue;
        }
        std::size_t ge = gs;
        const char32_t first = decode_utf8(seg, ge);
        char32_t prev = first;
        bool single = true;
        while (ge < n) {
            std::size_t next = ge;
            const char32_t c = decode_utf8(seg, next);
            if (grapheme_break(prev, c, state)) break;
            prev = c;
            ge = next;
            single = false;
        }
        on_grapheme(gs, ge, first, prev, single);
        gs = ge;
    }
    out.push_back({end, end, kForced});
}

std::vector<std::size_t> inner_grapheme_breaks(std::string_view text, std::size_t start, std::size_t end,
                                               EntityGuard& entities) {
    std::vector<std::size_t> out;
    for_each_grapheme(text.substr(start, end - start), [&](std::size_t, std::size_t ge) {
        const std::size_t x = start + ge;
        if (x < end && !entities.inside(x)) out.push_back(x);
    });
    return out;
}

}  // namespace growth::text::detail
