#include "core/report/cell_text.hpp"

#include <utf8proc.h>

#include <vector>

#include "core/text/grapheme.hpp"
#include "core/text/utf8.hpp"

namespace growth::report {

namespace {

std::size_t cluster_width(std::string_view cluster) noexcept {
    if (text::grapheme_is_emoji(cluster)) return 2;
    int widest = 0;
    std::size_t i = 0;
    while (i < cluster.size()) {
        const char32_t c = text::decode_utf8(cluster, i);
        const int w = utf8proc_charwidth(static_cast<utf8proc_int32_t>(c));
        if (w > widest) widest = w;
    }
    return widest > 2 ? 2 : static_cast<std::size_t>(widest);
}

std::string one_line(std::string_view s) {
    std::string flat;
    flat.reserve(s.size());
    for (const char c : s) {
        const bool space = c == '\n' || c == '\t' || c == '\r' || c == ' ';
        if (space && (flat.empty() || flat.back() == ' ')) continue;
        flat += space ? ' ' : c;
    }
    while (!flat.empty() && flat.back() == ' ') flat.pop_back();
    return flat;
}

}  // namespace

std::size_t display_width(std::string_view s) noexcept {
    std::size_t width = 0;
    text::for_each_grapheme(s, [&](std::size_t b, std::size_t e) { width += cluster_width(s.substr(b, e - b)); });
    return width;
}

std::string fit_columns(std::string_view s, std::size_t columns, bool pad) {
    const std::string flat = one_line(s);
    struct Cluster {
        std::size_t end, width;
    };
    std::vector<Cluster> clusters;
    std::size_t total = 0;
    text::for_each_grapheme(flat, [&](std::size_t b, std::size_t e) {
        const std::size_t w = cluster_width(std::string_view(flat).substr(b, e - b));
        total += w;
        clusters.push_back({e, w});
    });
    std::string out;
    std::size_t used = 0;
    if (total <= columns) {
        out = flat;
        used = total;
    } else {
        // Cut: keep what fits before "..." (or before nothing when the cell is tiny).
        const std::size_t room = columns >= 4 ? columns - 3 : columns;
        std::size_t end = 0;
        for (const auto& c : clusters) {
            if (used + c.width > room) break;
            used += c.width;
            end = c.end;
        }
        out = flat.substr(0, end);
        while (!out.empty() && out.back() == ' ' && columns >= 4) {
            out.pop_back();
            --used;
        }
        if (columns >= 4) {
            out += "...";
            used += 3;
        }
    }
    if (pad && used < columns) out.append(columns - used, ' ');
    return out;
}

}  // namespace growth::report
