#include "core/text/split_check.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/text/entities.hpp"
#include "core/text/grapheme.hpp"
#include "core/text/split_breaks.hpp"
#include "core/text/utf8.hpp"

namespace growth::text {

namespace {

bool is_space(char32_t c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == 0x1680 ||
           c == 0x2028 || c == 0x2029 || c == 0x205F || c == 0x3000 || (c >= 0x2000 && c <= 0x200A && c != 0x2007);
}

bool all_space(std::string_view s) {
    for (std::size_t i = 0; i < s.size();)
        if (!is_space(decode_utf8(s, i))) return false;
    return true;
}

// What lies between two parts may only be whitespace and whole "---" marker lines. A line of the
// gap is whole unless it is the first (the previous part ends on it) or the last (the next part
// starts on it); at the very start or end of the text those are whole too.
bool gap_is_whitespace(std::string_view gap, bool at_text_start, bool at_text_end) {
    std::vector<std::string_view> lines;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= gap.size(); ++i) {
        if (i == gap.size() || gap[i] == '\n') {
            lines.push_back(gap.substr(start, i - start));
            start = i + 1;
        }
    }
    for (std::size_t k = 0; k < lines.size(); ++k) {
        const bool whole = (k > 0 || at_text_start) && (k + 1 < lines.size() || at_text_end);
        std::string_view l = lines[k];
        while (!l.empty() && (l.front() == ' ' || l.front() == '\t')) l.remove_prefix(1);
        while (!l.empty() && (l.back() == ' ' || l.back() == '\t' || l.back() == '\r')) l.remove_suffix(1);
        if (whole && l == "---") continue;
        if (!all_space(lines[k])) return false;
    }
    return true;
}

}  // namespace

std::string check_split(Platform p, std::string_view text, const SplitOptions& options, const std::vector<Part>& parts) {
    if (parts.empty()) return "no parts";
    const Limits lim = limits(p, options.rules);
    const auto graphemes = grapheme_boundaries(text);
    const auto entities = find_entities(text);
    const auto segments = detail::explicit_segments(text);
    const int n = static_cast<int>(parts.size());
    std::size_t prev_end = 0;
    for (int k = 1; k <= n; ++k) {
        const Part& part = parts[static_cast<std::size_t>(k - 1)];
        if (part.source_start >= part.source_end || part.source_end > text.size())
            return fmt::format("part {}: empty or out of range source", k);
        const auto body = text.substr(part.source_start, part.source_end - part.source_start);
        const bool numbered = n > 1 && options.numbering != Numbering::none;
        const std::string label = numbered ? numbering_label(options.numbering, k, n) : "";
        if (part.label != label) return fmt::format("part {}: label \"{}\", expected \"{}\"", k, part.label, label);
        const std::string expected = numbered ? std::string(body) + " " + label : std::string(body);
        if (part.text != expected) return fmt::format("part {}: text is not body + label", k);
        const Measure m = measure(p, part.text);
        if (m.length != part.measure.length || m.bytes != part.measure.bytes)
            return fmt::format("part {}: measure {} recorded as {}", k, m.length, part.measure.length);
        if (!within(m, lim)) return fmt::format("part {}: length {} exceeds the limit {}", k, m.length, lim.length);
        if (!gap_is_whitespace(text.substr(prev_end, part.source_start - prev_end), k == 1, false))
            return fmt::format("part {}: text before it was dropped", k);
        for (const std::size_t edge : {part.source_start, part.source_end}) {
            if (!std::binary_search(graphemes.begin(), graphemes.end(), edge))
                return fmt::format("part {}: break at byte {} inside a grapheme cluster", k, edge);
            for (const auto& e : entities)
                if (edge > e.start && edge < e.end)
                    return fmt::format("part {}: break at byte {} inside a {}", k, edge, entity_kind_name(e.kind));
        }
        const bool in_one_segment = std::any_of(segments.begin(), segments.end(), [&](const auto& s) {
            return part.source_start >= s.first && part.source_end <= s.second;
        });
        if (!in_one_segment) return fmt::format("part {}: spans an explicit break marker", k);
        if (prev_end > part.source_start) return fmt::format("part {}: overlaps or is out of order", k);
        prev_end = part.source_end;
    }
    if (!gap_is_whitespace(text.substr(prev_end), false, true)) return "text after the last part was dropped";
    return {};
}

}  // namespace growth::text
