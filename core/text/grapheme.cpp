#include "core/text/grapheme.hpp"

#include <utf8proc.h>

namespace growth::text {

namespace detail {

bool grapheme_break(char32_t prev, char32_t next, int& state) noexcept {
    // ASCII pairs other than CR LF always break: skip the table lookups for the common case.
    if (prev < 0x80 && next < 0x80 && !(prev == '\r' && next == '\n')) {
        state = 0;
        return true;
    }
    utf8proc_int32_t st = state;
    const bool b = utf8proc_grapheme_break_stateful(static_cast<utf8proc_int32_t>(prev),
                                                    static_cast<utf8proc_int32_t>(next), &st);
    state = st;
    return b;
}

}  // namespace detail

std::size_t grapheme_count(std::string_view s) noexcept {
    std::size_t n = 0;
    for_each_grapheme(s, [&](std::size_t, std::size_t) { ++n; });
    return n;
}

std::vector<std::size_t> grapheme_boundaries(std::string_view s) {
    std::vector<std::size_t> out{0};
    for_each_grapheme(s, [&](std::size_t, std::size_t end) { out.push_back(end); });
    return out;
}

bool grapheme_is_emoji(std::string_view cluster) noexcept {
    for (std::size_t i = 0; i < cluster.size();) {
        const char32_t c = decode_utf8(cluster, i);
        if (c < 0xA9) continue;
        const auto bc = utf8proc_get_property(static_cast<utf8proc_int32_t>(c))->boundclass;
        if (bc == UTF8PROC_BOUNDCLASS_EXTENDED_PICTOGRAPHIC || bc == UTF8PROC_BOUNDCLASS_E_ZWG ||
            bc == UTF8PROC_BOUNDCLASS_REGIONAL_INDICATOR || bc == UTF8PROC_BOUNDCLASS_E_BASE ||
            bc == UTF8PROC_BOUNDCLASS_E_BASE_GAZ || bc == UTF8PROC_BOUNDCLASS_GLUE_AFTER_ZWJ)
            return true;
    }
    return false;
}

}  // namespace growth::text
