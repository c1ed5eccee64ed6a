#pragma once
// "Did you mean ...?" suggestions for misspelt names, as ninja and git give them: the one rule
// for config keys, verbs, RPC methods, platforms and account names.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace growth {

/// The candidate closest to `word` (case-insensitive edit distance, adjacent transpositions
/// counting as one edit) when it is close enough to be a likely typo, or that `word` abbreviates
/// (a prefix of at least 3 characters); otherwise nullopt. Never throws beyond std::bad_alloc.
std::optional<std::string_view> did_you_mean(std::string_view word,
                                             std::span<const std::string_view> candidates);

/// The same rule over owned names (verbs, methods, accounts). Throws std::bad_alloc.
std::optional<std::string> did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace growth
