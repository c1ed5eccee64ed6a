#pragma once
// An independent check of a split against the splitter's promises (used by tests and the fuzzer).

#include <string>
#include <string_view>
#include <vector>

#include "core/text/splitter.hpp"

namespace growth::text {

/// Checks `parts` = split_text(p, text, options): every part within the platform's limits and
/// measured right; labels "k/n" in order (none for a single part); bodies in order, each the
/// exact source range, separated only by whitespace or explicit break markers; no break inside a
/// grapheme cluster, link, mention, hashtag or cashtag; no body spanning a break marker.
/// Returns "" when all hold, else a description of the first violation. Throws std::bad_alloc.
std::string check_split(Platform p, std::string_view text, const SplitOptions& options, const std::vector<Part>& parts);

}  // namespace growth::text
