#pragma once
// The bounds on one post's text (DESIGN.md §10; config [limits] max_post_bytes and max_parts):
// refused with a clear error before anything is split or stored.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/error.hpp"

namespace growth::text {

/// How much one post may hold.
struct PostBounds {
    std::int64_t max_post_bytes = 512 * 1024;  ///< limits.max_post_bytes: the text, UTF-8 bytes
    int max_parts = 100;                       ///< limits.max_parts: parts of one target's thread
};

/// Throws growth::Error("post_too_large", "the text is N bytes; a post may hold at most M bytes
/// (limits.max_post_bytes)") when `text` is longer than `bounds.max_post_bytes`; nothing else.
void require_post_size(std::string_view text, const PostBounds& bounds);

/// The error for a thread of `parts` parts over the cap `max_parts`: Error("too_many_parts",
/// "the text needs N parts; a thread may have at most M (limits.max_parts)"). Throws
/// std::bad_alloc only.
Error too_many_parts(std::size_t parts, int max_parts);

}  // namespace growth::text
