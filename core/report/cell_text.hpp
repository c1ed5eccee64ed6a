#pragma once
// Text cut to a number of terminal columns, for the calendar's cells: by grapheme cluster, wide
// (East Asian, emoji) clusters counting two columns, so a cell never spills into the next.

#include <cstddef>
#include <string>
#include <string_view>

namespace growth::report {

/// Terminal columns of well-formed UTF-8 `s` (per grapheme cluster: 2 for an emoji or a wide
/// character, 0 for a lone combining mark, else 1). Throws nothing.
std::size_t display_width(std::string_view s) noexcept;

/// `s` on one line (newlines and tabs become spaces, runs of spaces one) cut to at most `columns`
/// columns, ending in "..." when cut and there is room for it, then padded with spaces to exactly
/// `columns` when `pad`. Throws std::bad_alloc.
std::string fit_columns(std::string_view s, std::size_t columns, bool pad = true);

}  // namespace growth::report
