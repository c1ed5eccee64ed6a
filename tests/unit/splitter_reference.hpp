#pragma once
// The splitter as it was before the prefix-sum rewrite (core/text/splitter.cpp at 6aacca8), kept
// in the test tree only so that tests can compare the fast splitter's parts with it byte by byte.

#include <string_view>
#include <vector>

#include "core/text/splitter.hpp"

namespace growth::text::reference {

/// The old split_text: same contract, same parts; slow (measures candidate parts from scratch).
std::vector<Part> split_text(Platform p, std::string_view text, const SplitOptions& options = {});

}  // namespace growth::text::reference
