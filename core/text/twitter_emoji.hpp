#pragma once
// twemoji-parser's emoji matching (the regex parseTweet counts as one emoji), over UTF-16.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace growth::text::tw {

/// Length in UTF-16 units of the emoji the twemoji regex matches at `pos` (its first alternative
/// in priority order), or 0 when none starts there. Thread-safe; throws std::bad_alloc only on the
/// first call (building the trie).
std::size_t match_emoji(std::u16string_view text, std::size_t pos);

/// For each UTF-16 unit, whether an emoji regex alternative can start with it (65536 entries).
/// Throws like match_emoji.
const std::uint32_t* emoji_first_units();

/// The same as a bitset (bit u of word u/64), small enough to stay in cache. Throws like match_emoji.
const std::uint64_t* emoji_first_bits();

/// Whether any emoji regex alternative can start with unit `u`. Throws like match_emoji.
inline bool may_start_emoji(char16_t u) { return emoji_first_units()[u] != 0; }

}  // namespace growth::text::tw
