#include "core/json_depth.hpp"

namespace growth {

bool JsonDepthScanner::feed(std::string_view bytes) noexcept {
    if (exceeded_) return false;
    for (const char c : bytes) {
        if (in_string_) {
            if (escaped_) {
                escaped_ = false;
            } else if (c == '\\') {
                escaped_ = true;
            } else if (c == '"') {
                in_string_ = false;
            }
            continue;
        }
        if (c == '"') {
            in_string_ = true;
        } else if (c == '[' || c == '{') {
            if (++depth_ > max_depth_) {
                exceeded_ = true;
                return false;
            }
        } else if ((c == ']' || c == '}') && depth_ > 0) {
            // Stray closers never buy room for more openers: the parser refuses them anyway.
            --depth_;
        }
    }
    return true;
}

bool json_depth_within(std::string_view text, int max_depth) noexcept {
    JsonDepthScanner scanner(max_depth);
    return scanner.feed(text);
}

}  // namespace growth
