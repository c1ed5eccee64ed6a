#pragma once
// "Did you mean ...?": the closest name by edit distance.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace growth::rpc {

/// Levenshtein distance (insert, delete, substitute; bytes). Throws std::bad_alloc.
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The candidate closest to `word`, if it is close enough to be a plausible typo: distance at most
/// max(2, len/3). Ties go to the earlier candidate. Throws std::bad_alloc.
std::optional<std::string> nearest(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace growth::rpc
