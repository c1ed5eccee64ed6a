// The splitter against its reference copy (splitter_reference.cpp, the algorithm before the
// prefix-sum rewrite): the same parts to the byte, the same errors, on generated texts for every
// platform and numbering style. GROWTH_SPLIT_CORPUS=FILE[:FILE...] (JSON lines of posts, as
// bench/text_bench.js makes them) also compares on those corpora, joined as the bench joins them.
#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/text/splitter.hpp"
#include "splitter_reference.hpp"

using namespace growth::text;

namespace {

template <class F>
std::vector<std::string> outcome(F&& split) {
    std::vector<std::string> out;
    try {
        for (const auto& part : split()) {
            std::ostringstream m;
            m << part.text << "|" << part.label << "@" << part.source_start << "-" << part.source_end << " "
              << part.measure.length << "," << part.measure.bytes << "," << part.measure.hashtags << ","
              << part.measure.mentions << "," << part.measure.links;
            out.push_back(m.str());
        }
    } catch (const growth::Error& e) {
        out.push_back(std::string("error ") + e.kind() + ": " + e.what());
    }
    return out;
}

bool same_as_reference(Platform p, const std::string& text, const SplitOptions& o) {
    const auto fast = outcome([&] { return split_text(p, text, o); });
    const auto ref = outcome([&] { return reference::split_text(p, text, o); });
    return fast == ref;
}

constexpr Numbering kNumberings[] = {Numbering::none, Numbering::slash, Numbering::paren, Numbering::thread};

}  // namespace

TEST_CASE("the splitter gives its reference's parts on generated texts") {
    static const std::vector<std::string> pieces = {
        "word", "longerword", "the", "a", "x", "caf\u00e9", "e\u0301", "\u0301", "\u65e5\u672c\u8a9e", "\u3002",
        "\u3001", "\uFF01", "\U0001F468\u200D\U0001F469\u200D\U0001F467", "\U0001F44D\U0001F3FD",
        "\U0001F1EF\U0001F1F5", "1\uFE0F\u20E3", "\u2764\uFE0F", "https://example.com/path_(x)?q=1",
        "example.com", "t.co", "http://t.co/AbC123xyz", "@jack", "@alice@mastodon.social", "#growth", "#\u958b\u767a",
        "$AAPL", "\u2026", "\u201Cquoted\u201D", "\u05E9\u05DC\u05D5\u05DD", "\u0928\u092E\u0938\u094D\u0924\u0947",
        "\u0E20\u0E32\u0E29\u0E32", "\u0421\u0435\u0433\u043E\u0434\u043D\u044F", "\uC624\uB298",
        "\u0623\u0637\u0644\u0642\u0646\u0627", std::string(90, 'z'), std::string(30, 'y'), "a.b", "(paren)",
        "end.", "\u65e5\u672chttps://example.com\u8a9e", "A\u030A", "\u212B"};
    static const std::vector<std::string> seps = {" ", " ", " ", " ", "  ", "\n", "\n\n", ". ", ", ", "; ", "! ",
                                                  "", "", "\n---\n", "\t", "\u3000", "\u00A0", " \n \n"};
    std::mt19937 rng(20261202);
    int compared = 0, multi = 0;
    for (int round = 0; round < 48; ++round) {
        std::string text;
        const int n = 1 + static_cast<int>(rng() % (round % 4 == 0 ? 2500 : 400));
        for (int i = 0; i < n; ++i) {
            text += pieces[rng() % pieces.size()];
            text += seps[rng() % seps.size()];
        }
        for (const auto p : all_platforms()) {
            for (const auto numbering : kNumberings) {
                SplitOptions o;
                o.numbering = numbering;
                o.rules.mastodon_limit = round % 2 ? 200 : 500;
                o.max_parts = round % 5 == 0 ? 3 : 0;
                CHECK_MESSAGE(same_as_reference(p, text, o), platform_name(p), " ", numbering_name(numbering),
                              " round ", round);
                ++compared;
                multi += split_text(p, text, SplitOptions{}).size() > 1 ? 1 : 0;
            }
        }
    }
    CHECK(compared == 48 * 7 * 4);
    CHECK(multi > 500);
}

TEST_CASE("the splitter gives its reference's parts on the bench corpora (GROWTH_SPLIT_CORPUS)") {
    const char* env = std::getenv("GROWTH_SPLIT_CORPUS");
    if (!env || !*env) return;
    std::stringstream files(env);
    for (std::string file; std::getline(files, file, ':');) {
        std::ifstream in(file);
        REQUIRE_MESSAGE(in, "cannot read ", file);
        std::string whole;
        for (std::string line; std::getline(in, line);) {
            if (line.empty()) continue;
            whole += nlohmann::json::parse(line).get<std::string>();
            whole += "\n\n";
        }
        for (const auto p : all_platforms()) {
            for (const auto numbering : kNumberings) {
                SplitOptions o;
                o.numbering = numbering;
                CHECK_MESSAGE(same_as_reference(p, whole, o), file, " ", platform_name(p), " ",
                              numbering_name(numbering));
            }
        }
    }
}
