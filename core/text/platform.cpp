#include "core/text/platform.hpp"

#include <algorithm>
#include <array>
#include <set>
#include <vector>

#include "core/text/entities.hpp"
#include "core/text/grapheme.hpp"
#include "core/text/mastodon_count.hpp"
#include "core/text/utf8.hpp"
#include "core/text/x_count.hpp"

namespace growth::text {

Continuation continuation(Platform p) noexcept {
    switch (p) {
        case Platform::linkedin:
        case Platform::facebook:
        case Platform::instagram: return Continuation::comment;
        default: return Continuation::reply;
    }
}

std::string_view continuation_name(Continuation c) noexcept { return c == Continuation::reply ? "reply" : "comment"; }

Limits limits(Platform p, const RuleOptions& options) noexcept {
    Limits l;
    switch (p) {
        case Platform::x: l.length = kXMaxWeightedLength; break;
        case Platform::linkedin: l.length = 3000; break;
        case Platform::facebook: l.length = 63206; break;
        case Platform::instagram:
            l.length = 2200;
            l.hashtags = 30;
            l.mentions = 20;
            break;
        case Platform::threads:
            l.length = 500;
            l.links = 5;
            break;
        case Platform::mastodon: l.length = options.mastodon_limit; break;
        case Platform::bluesky:
            l.length = 300;
            l.bytes = 3000;
            break;
    }
    return l;
}

Measure measure(Platform p, std::string_view text) {
    Measure m;
    m.bytes = static_cast<long>(text.size());
    switch (p) {
        case Platform::x: {
            const auto r = x_length_unchecked(text);
            m.length = r.weighted_length;
            m.valid_chars = !r.invalid_characters;
            break;
        }
        case Platform::linkedin:
        case Platform::facebook: m.length = static_cast<long>(utf16_length(text)); break;
        case Platform::instagram: {
            m.length = static_cast<long>(utf16_length(text));
            for (const auto& e : find_entities(text)) {
                if (e.kind == EntityKind::hashtag) ++m.hashtags;
                if (e.kind == EntityKind::mention) ++m.mentions;
            }
            break;
        }
        case Platform::threads: {
            for_each_grapheme(text, [&](std::size_t s, std::size_t e) {
                const auto g = text.substr(s, e - s);
                m.length += grapheme_is_emoji(g) ? static_cast<long>(g.size()) : 1;
            });
            std::set<std::string_view> links;
            for (const auto& e : find_entities(text))
                if (e.kind == EntityKind::url) links.insert(text.substr(e.start, e.end - e.start));
            m.links = static_cast<int>(links.size());
            break;
        }
        case Platform::mastodon: m.length = mastodon_length(text); break;
        case Platform::bluesky: m.length = static_cast<long>(grapheme_count(text)); break;
    }
    return m;
}

bool within(const Measure& m, const Limits& lim) noexcept {
    if (m.length <= 0) return false;
    if (lim.length && m.length > lim.length) return false;
    if (lim.bytes && m.bytes > lim.bytes) return false;
    if (lim.hashtags && m.hashtags > lim.hashtags) return false;
    if (lim.mentions && m.mentions > lim.mentions) return false;
    if (lim.links && m.links > lim.links) return false;
    return true;
}

}  // namespace growth::text
