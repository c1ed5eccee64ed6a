// libFuzzer target: the JSON depth scanner (core/json_depth.hpp) against nlohmann's own parser.
// For every input nlohmann accepts, the scanner must agree exactly with the real nesting depth
// (measured with the SAX interface, which builds no value and so cannot overflow the stack); for
// every input, bounded parsing must not crash. Fed whole and split in two at a fuzzed offset, so
// a string or escape straddling two pieces is covered.
// fuzz-max-len: 262144
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/json_depth.hpp"
#include "core/json_parse.hpp"

namespace {

/// Counts the deepest nesting while nlohmann parses; builds nothing.
struct DepthSax final : nlohmann::json_sax<nlohmann::json> {
    int depth = 0;
    int deepest = 0;
    bool open() {
        if (++depth > deepest) deepest = depth;
        return true;
    }
    bool close() {
        --depth;
        return true;
    }
    bool null() override { return true; }
    bool boolean(bool) override { return true; }
    bool number_integer(number_integer_t) override { return true; }
    bool number_unsigned(number_unsigned_t) override { return true; }
    bool number_float(number_float_t, const string_t&) override { return true; }
    bool string(string_t&) override { return true; }
    bool binary(binary_t&) override { return true; }
    bool start_object(std::size_t) override { return open(); }
    bool key(string_t&) override { return true; }
    bool end_object() override { return close(); }
    bool start_array(std::size_t) override { return open(); }
    bool end_array() override { return close(); }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
        return false;
    }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::size_t split = data[0];
    const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);

    DepthSax sax;
    // nlohmann's lexer takes a NUL byte for the end of input ("8\0[[[" is valid to it), while the
    // scanner reads on and counts what follows (so it refuses more, never less). Valid JSON holds
    // no raw NUL, so the oracle speaks only for text without one.
    const bool valid = text.find('\0') == std::string_view::npos &&
                       nlohmann::json::sax_parse(text.begin(), text.end(), &sax,
                                                 nlohmann::json::input_format_t::json, /*strict=*/true);
    if (valid) {
        if (!growth::json_depth_within(text, sax.deepest)) std::abort();
        if (sax.deepest > 0 && growth::json_depth_within(text, sax.deepest - 1)) std::abort();
    }
    // In two pieces the verdict is the same as whole.
    for (const int limit : {0, 1, 16, growth::default_max_json_depth}) {
        growth::JsonDepthScanner pieces(limit);
        const auto cut = std::min(split, text.size());
        const bool ok = pieces.feed(text.substr(0, cut)) && pieces.feed(text.substr(cut));
        if (ok != growth::json_depth_within(text, limit)) std::abort();
        if (ok == pieces.exceeded()) std::abort();
    }
    // Bounded parsing never crashes and never yields a value for text it refuses.
    const auto parsed = growth::parse_json_bounded(text);
    if (parsed && !growth::json_depth_within(text, growth::default_max_json_depth)) std::abort();
    return 0;
}
