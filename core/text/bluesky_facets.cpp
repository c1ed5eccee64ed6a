#include "core/text/bluesky_facets.hpp"

#include <algorithm>

#include "core/text/entities.hpp"
#include "core/text/grapheme.hpp"

namespace growth::text {

namespace {

bool handle_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

}  // namespace

std::vector<BlueskyFacet> bluesky_facets(std::string_view text) {
    std::vector<BlueskyFacet> out;
    for (const auto& e : find_entities(text)) {
        const auto s = text.substr(e.start, e.end - e.start);
        switch (e.kind) {
            case EntityKind::url:
                out.push_back({BlueskyFacet::Kind::link, e.start, e.end,
                               e.has_protocol ? std::string(s) : "https://" + std::string(s)});
                break;
            case EntityKind::hashtag: {
                const auto tag = s.substr(s[0] == '#' ? 1 : 3);  // '#' or the 3-byte '＃'
                if (!tag.empty() && grapheme_count(tag) <= 64 && tag.size() <= 640)
                    out.push_back({BlueskyFacet::Kind::tag, e.start, e.end, std::string(tag)});
                break;
            }
            case EntityKind::mention:
            case EntityKind::cashtag: break;
        }
    }
    // Mentions: twitter-text screen names stop at '.', but Bluesky handles are domain names.
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '@') continue;
        if (i > 0 && (handle_char(text[i - 1]) || text[i - 1] == '@')) continue;
        std::size_t j = i + 1;
        while (j < text.size() && handle_char(text[j])) ++j;
        while (j > i + 1 && (text[j - 1] == '.' || text[j - 1] == '-')) --j;
        const auto handle = text.substr(i + 1, j - i - 1);
        if (handle.find('.') == std::string_view::npos || handle.front() == '.' || handle.front() == '-') continue;
        bool inside = false;
        for (const auto& f : out) inside |= i >= f.byte_start && i < f.byte_end;
        if (!inside) out.push_back({BlueskyFacet::Kind::mention, i, j, std::string(handle)});
        i = j - 1;
    }
    std::sort(out.begin(), out.end(), [](const BlueskyFacet& a, const BlueskyFacet& b) { return a.byte_start < b.byte_start; });
    return out;
}

}  // namespace growth::text
