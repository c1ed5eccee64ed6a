#include "core/rpc/protocol.hpp"

#include <charconv>

namespace growth::rpc {

int parse_protocol_major(std::string_view version) noexcept {
    const auto dot = version.find('.');
    if (dot == std::string_view::npos || dot == 0 || dot + 1 == version.size()) return -1;
    int major = -1;
    const auto* first = version.data();
    const auto* last = version.data() + dot;
    const auto [ptr, ec] = std::from_chars(first, last, major);
    if (ec != std::errc{} || ptr != last || major < 0) return -1;
    // The minor part must be digits too, so "1.x" is not taken for a version.
    for (char c : version.substr(dot + 1)) {
        if (c < '0' || c > '9') return -1;
    }
    return major;
}

}  // namespace growth::rpc
