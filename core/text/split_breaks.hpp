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

/// Whether a byte offset of `text` falls strictly inside a link, mention, hashtag or cashtag, as
/// find_entities over the whole text finds them, without searching the whole text: entities never
/// hold a break space (twitter-text excludes every Unicode space from them), so the entities of
/// the token around the offset, searched with the space on either side, decide. A token is searched when first asked about (the last one is kept); most texts ask only
/// about CJK runs and over-long words. Throws std::bad_alloc.
class EntityGuard {
public:
    explicit EntityGuard(std::string_view text) noexcept : text_(text) {}
    bool inside(std::size_t x);

private:
    std::string_view text_;
    std::size_t start_ = 0, end_ = 0;                      // the token last searched
    std::vector<std::pair<std::size_t, std::size_t>> spans_;  // its entities, as text offsets
};

/// Segments of `text` between explicit break markers, each trimmed of surrounding whitespace,
/// empty ones dropped, as byte ranges. Throws std::bad_alloc.
std::vector<std::pair<std::size_t, std::size_t>> explicit_segments(std::string_view text);

/// Appends to `out` the break candidates of the segment [start, end) of `text` (whitespace runs,
/// CJK and after-CJK-punctuation positions), first and last being the segment edges; none inside
/// an entity (`entities` guards `text`). Throws std::bad_alloc.
void find_breaks(std::string_view text, std::size_t start, std::size_t end, EntityGuard& entities,
                 std::vector<Break>& out);

/// Grapheme boundaries strictly inside [start, end) that are not inside an entity.
/// Throws std::bad_alloc.
std::vector<std::size_t> inner_grapheme_breaks(std::string_view text, std::size_t start, std::size_t end,
                                               EntityGuard& entities);

}  // namespace growth::text::detail
