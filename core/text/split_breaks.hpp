#pragma once
// Break candidates for the splitter (internal to core/text).

#include <cstddef>
#include <string_view>
#include <utility>
#include <vector>

namespace growth::text::detail {

/// How good a place to break is; lower is better.
enum BreakLevel : int {
    kForced = 0,     ///< segment edge (text start/end, explicit marker)
    kParagraph = 1,  ///< a blank line
    kLine = 2,       ///< a line break
    kSentence = 3,
    kClause = 4,
    kWord = 5,
    kGrapheme = 6,   ///< inside an over-long word
};

/// A place to break: the whitespace [ws_start, ws_end) is dropped (empty for breaks between
/// characters, e.g. between CJK ideographs).
struct Break {
    std::size_t ws_start;
    std::size_t ws_end;
    int level;
};

/// Segments of `text` between explicit break markers, each trimmed of surrounding whitespace,
/// empty ones dropped, as byte ranges. Throws std::bad_alloc.
std::vector<std::pair<std::size_t, std::size_t>> explicit_segments(std::string_view text);

/// Break candidates of the segment [start, end) of `text` (whitespace runs, CJK and after-CJK-
/// punctuation positions), first and last being the segment edges. `protected_spans` are sorted,
/// disjoint byte ranges no break may fall inside. Throws std::bad_alloc.
std::vector<Break> find_breaks(std::string_view text, std::size_t start, std::size_t end,
                               const std::vector<std::pair<std::size_t, std::size_t>>& protected_spans);

/// Grapheme boundaries strictly inside [start, end) that are not inside a protected span.
/// Throws std::bad_alloc.
std::vector<std::size_t> inner_grapheme_breaks(std::string_view text, std::size_t start, std::size_t end,
                                               const std::vector<std::pair<std::size_t, std::size_t>>& protected_spans);

}  // namespace growth::text::detail
