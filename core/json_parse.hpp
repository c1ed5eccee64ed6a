#pragma once
// Parsing JSON text that may come from outside with its nesting bounded first.

#include <optional>
#include <string_view>

#include "core/json.hpp"
#include "core/json_depth.hpp"

namespace growth {

/// Parses `text`; nullopt when it is not JSON or nests deeper than `max_depth` levels (measured
/// before any value is built, see core/json_depth.hpp). Never throws beyond std::bad_alloc.
std::optional<Json> parse_json_bounded(std::string_view text,
                                       int max_depth = default_max_json_depth);

}  // namespace growth
