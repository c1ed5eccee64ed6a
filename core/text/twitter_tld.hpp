#pragma once
// The TLD part of twitter-text's URL regex, with the package's own TLD lists.

#include <cstddef>
#include <string_view>

namespace growth::text::tw {

/// End of the TLD that twitter-text's validGTLD|validCCTLD|validPunycode alternation matches at
/// `pos` of `text` (the first alternative in list order that is followed by a character outside
/// [0-9a-zA-Z@+-] or by `limit`, where the regex's `$` matches), or size_t(-1). Thread-safe;
/// throws std::bad_alloc only on the first call (building the lookup tables).
std::size_t match_tld(std::u16string_view text, std::size_t pos, std::size_t limit);

}  // namespace growth::text::tw
