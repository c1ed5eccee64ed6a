#include "core/text/post_bounds.hpp"

#include <fmt/format.h>

namespace growth::text {

void require_post_size(std::string_view text, const PostBounds& bounds) {
    if (static_cast<std::int64_t>(text.size()) <= bounds.max_post_bytes) return;
    throw Error("post_too_large", fmt::format("the text is {} bytes; a post may hold at most {} bytes "
                                              "(limits.max_post_bytes)",
                                              text.size(), bounds.max_post_bytes));
}

Error too_many_parts(std::size_t parts, int max_parts) {
    return Error("too_many_parts",
                 fmt::format("the text needs {} parts; a thread may have at most {} (limits.max_parts)", parts, max_parts));
}

}  // namespace growth::text
