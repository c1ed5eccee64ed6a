#pragma once
// Length of a domain label after the npm `punycode` package's toASCII (Node's built-in punycode 2.1, which is what twitter-text's require("punycode") gets, and what twitter-text's idna
// check measures). RFC 3492 is an algorithm, not a table: done here to avoid a dependency.

#include <cstddef>
#include <optional>
#include <string_view>

namespace growth::text {

/// Length of punycode.toASCII(label) for a UTF-16 label: the label is split at . 。 ． ｡, every
/// piece with a unit above U+007E becomes "xn--" + Punycode, pieces are joined with ".". Returns
/// nullopt where punycode.js would throw (integer overflow). Throws nothing.
std::optional<std::size_t> punycode_to_ascii_length(std::u16string_view label) noexcept;

}  // namespace growth::text
