#include "core/text/twitter_classes.hpp"

#include <algorithm>
#include <memory>

#include "core/text/twitter_tables.hpp"

namespace growth::text::tw {

namespace {

void mark(std::uint16_t* table, std::span<const tables::UnitRange> ranges, std::uint16_t bit) {
    for (const auto& r : ranges)
        for (std::uint32_t u = r.lo; u <= r.hi; ++u) table[u] |= bit;
}

void mark_bmp(std::uint16_t* table, std::span<const tables::CodePointRange> ranges, std::uint16_t bit) {
    for (const auto& r : ranges)
        for (std::uint32_t c = r.lo; c <= r.hi && c <= 0xFFFF; ++c) table[c] |= bit;
}

bool in_ranges(std::span<const tables::CodePointRange> ranges, char32_t cp) {
    const auto it = std::upper_bound(ranges.begin(), ranges.end(), cp,
                                     [](char32_t c, const tables::CodePointRange& r) { return c < r.lo; });
    return it != ranges.begin() && cp <= std::prev(it)->hi;
}

}  // namespace

const std::uint16_t* unit_classes() {
    static const std::unique_ptr<std::uint16_t[]> table = [] {
        auto t = std::make_unique<std::uint16_t[]>(0x10000);
        mark(t.get(), tables::url_preceding, kUrlPreceding);
        mark(t.get(), tables::domain_char, kDomainChar);
        mark(t.get(), tables::path_char, kPathChar);
        mark(t.get(), tables::path_end_char, kPathEnd);
        mark(t.get(), tables::query_char, kQueryChar);
        mark(t.get(), tables::query_end_char, kQueryEnd);
        mark(t.get(), tables::tld_follower, kTldFollower);
        mark(t.get(), tables::ascii_domain_label_char, kAsciiLabel);
        mark(t.get(), tables::latin_accent, kLatinAccent);
        mark(t.get(), tables::spaces, kSpace);
        mark(t.get(), tables::js_space, kJsSpace);
        mark_bmp(t.get(), tables::hashtag_alpha, kHashtagAlpha);
        mark_bmp(t.get(), tables::hashtag_alnum, kHashtagAlnum);
        return t;
    }();
    return table.get();
}

bool astral_hashtag_alpha(char32_t cp) noexcept { return in_ranges(tables::hashtag_alpha, cp); }
bool astral_hashtag_alnum(char32_t cp) noexcept { return in_ranges(tables::hashtag_alnum, cp); }

}  // namespace growth::text::tw
