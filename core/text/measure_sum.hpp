#pragma once
// When the measure of a text is the sum of the measures of its pieces (internal to core/text): what
// lets the splitter take a part's measure from prefix sums instead of measuring the part again.

#include <string_view>

#include "core/text/platform.hpp"

namespace growth::text::detail {

/// Whether, however well-formed UTF-8 `token` is cut at grapheme boundaries, measure(p, token)
/// equals the sum of the pieces' measures (Measure::valid_chars: their conjunction). Every
/// platform's count is a sum over grapheme clusters or code units except for links, mentions,
/// hashtags, cashtags and (X) emoji, and no NFC composition or grapheme rule reaches across a
/// grapheme boundary; so a token that cannot hold one of those is additive: one without '.' (a
/// link's domain dot, which a top-level domain follows, so a final '.' does not count), '#',
/// '@' or '$' before an ASCII name character ([A-Za-z0-9_.-]: a mention's or a cashtag's first;
/// Mastodon's mentions take '.' and '-' too), the full-width '#' and '@' likewise, and without a
/// character an emoji may start with. This is about cuts between characters; no entity or emoji
/// holds a break space, and a word after whitespace is measured there (see same_after_space).
/// Throws like tw::match_emoji.
bool additive_token(Platform p, std::string_view token);

/// Whether the word `s` (no break space in it) measures the same after whitespace as on its own,
/// the whitespace aside: when it starts with an ASCII letter or digit that stays one under NFC
/// (an ASCII character follows it), which the entity regexes never take as a preceding character
/// (a link's, a mention's, a hashtag's), so each entity starts where it would at the start of
/// the text. Throws nothing.
bool same_after_space(std::string_view s) noexcept;

/// Whether `s` is printable ASCII without '.', '@', '#' or '$': every platform then counts one
/// per byte (each a grapheme, a UTF-16 unit, of X weight 1) and finds no link, mention, tag or
/// emoji, so measure(p, s) is {s.size(), s.size()} and nothing else. Throws nothing.
bool plain_ascii(std::string_view s) noexcept;

}  // namespace growth::text::detail
