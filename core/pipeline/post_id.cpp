#include "core/pipeline/post_id.hpp"

namespace growth::pipeline {

namespace {
constexpr char alphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";  // Crockford, no i l o u
}

std::string make_post_id(publish::Instant now, std::uint32_t random) {
    std::uint64_t ms = static_cast<std::uint64_t>(now.time_since_epoch().count());
    std::string id(11, '0');
    for (int i = 8; i >= 0; --i) {
        id[static_cast<std::size_t>(i)] = alphabet[ms & 31U];
        ms >>= 5U;
    }
    id[9] = alphabet[(random >> 5U) & 31U];
    id[10] = alphabet[random & 31U];
    return id;
}

}  // namespace growth::pipeline
