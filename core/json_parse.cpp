#include "core/json_parse.hpp"

namespace growth {

std::optional<Json> parse_json_bounded(std::string_view text, int max_depth) {
    if (!json_depth_within(text, max_depth)) return std::nullopt;
    Json j = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) return std::nullopt;
    return j;
}

}  // namespace growth
