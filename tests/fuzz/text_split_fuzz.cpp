// libFuzzer target: counting and splitting on arbitrary bytes. Aborts when a promise breaks:
// invalid UTF-8 must be refused with its offset, counting must not crash, and every split must
// pass check_split (limits, labels, nothing lost, no break inside a token or grapheme).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/text/bluesky_facets.hpp"
#include "core/text/grapheme.hpp"
#include "core/text/platform.hpp"
#include "core/text/split_breaks.hpp"
#include "core/text/split_check.hpp"
#include "core/text/splitter.hpp"
#include "core/text/utf8.hpp"
#include "core/text/x_count.hpp"

namespace {

[[noreturn]] void fail(const std::string& what) {
    std::fprintf(stderr, "invariant violated: %s\n", what.c_str());
    std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace growth::text;
    if (size < 1) return 0;
    const std::uint8_t control = data[0];
    const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
    const Platform platform = all_platforms()[control % 7];
    SplitOptions options;
    options.numbering = static_cast<Numbering>((control >> 3) % 4);
    options.rules.mastodon_limit = 20 + (control >> 5) * 60;

    const auto bad = find_invalid_utf8(text);
    if (bad != std::string_view::npos) {
        try {
            x_length(text);
            fail("x_length accepted invalid UTF-8");
        } catch (const growth::Error& e) {
            if (e.kind() != "bad_input") fail("wrong error kind for invalid UTF-8");
        }
        try {
            split_text(platform, text, options);
            fail("split_text accepted invalid UTF-8");
        } catch (const growth::Error& e) {
            if (std::string(e.what()) != "invalid UTF-8 at byte offset " + std::to_string(bad)) fail(e.what());
        }
        return 0;
    }

    const auto x = x_length(text);
    if (x.weighted_length < 0 || (x.weighted_length == 0) != text.empty()) fail("x weighted length");
    const auto m = measure(platform, text);
    if (m.bytes != static_cast<long>(text.size())) fail("bytes");
    if (platform == Platform::bluesky && static_cast<std::size_t>(m.length) != grapheme_count(text)) fail("graphemes");
    for (const auto& f : bluesky_facets(text))
        if (f.byte_start >= f.byte_end || f.byte_end > text.size()) fail("facet range");

    std::vector<Part> parts;
    try {
        parts = split_text(platform, text, options);
    } catch (const growth::Error& e) {
        const std::string kind = e.kind();
        if (kind == "unsplittable") return 0;
        if (kind == "bad_input" && detail::explicit_segments(text).empty()) return 0;
        fail(kind + ": " + e.what());
    }
    const auto problem = check_split(platform, text, options, parts);
    if (!problem.empty()) fail(std::string(platform_name(platform)) + ": " + problem);
    return 0;
}
