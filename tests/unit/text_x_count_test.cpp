// X weighted length: twitter-text's own conformance vectors and a few pinned behaviours.
#include <doctest/doctest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "core/error.hpp"
#include "core/text/x_count.hpp"

using growth::text::x_length;

TEST_CASE("twitter-text conformance: weighted length and validity (config v3)") {
    // ../shared/specs/twitter-text-cases.jsonl holds validate.yml's weighted-length groups; the v2
    // entries are for the retired config without emoji parsing and do not apply.
    std::ifstream in(std::string(GROWTH_SHARED_DIR) + "/specs/twitter-text-cases.jsonl");
    REQUIRE(in.good());
    int checked = 0;
    std::string line;
    while (std::getline(in, line)) {
        const auto c = nlohmann::json::parse(line);
        if (c.at("config") != "v3") continue;
        const std::string text = c.at("text");
        SUBCASE(c.at("description").get<std::string>().c_str()) {
            const auto r = x_length(text);
            CHECK(r.weighted_length == c.at("expected_weighted_length").get<int>());
            CHECK(r.valid == c.at("valid").get<bool>());
        }
        ++checked;
    }
    CHECK(checked == 24);
}

TEST_CASE("a bare domain with a known TLD counts as a 23-character link") {
    CHECK(x_length("see example.com").weighted_length == 4 + 23);
    CHECK(x_length("see example.comx").weighted_length == 16);
}

TEST_CASE("a ZWJ family with skin tones counts as one emoji") {
    CHECK(x_length("\U0001F469\U0001F3FD\u200D\U0001F4BB").weighted_length == 2);
}

TEST_CASE("a decomposed accent is normalized before counting") {
    CHECK(x_length("e\u0301").weighted_length == 1);
}

TEST_CASE("U+2026 ellipsis weighs 2") { CHECK(x_length("\u2026").weighted_length == 2); }

TEST_CASE("empty text is not valid") {
    const auto r = x_length("");
    CHECK(r.weighted_length == 0);
    CHECK_FALSE(r.valid);
}

TEST_CASE("invalid UTF-8 is rejected naming the byte offset") {
    const auto message = [](std::string_view s) {
        try {
            x_length(s);
        } catch (const growth::Error& e) {
            CHECK(e.kind() == "bad_input");
            return std::string(e.what());
        }
        return std::string("no error");
    };
    CHECK(message("abc\xff") == "invalid UTF-8 at byte offset 3");
    CHECK(message("a\xc0\xaf") == "invalid UTF-8 at byte offset 1");          // overlong '/'
    CHECK(message("ab\xed\xa0\x80") == "invalid UTF-8 at byte offset 2");     // a surrogate
    CHECK(message("\xe2\x82") == "invalid UTF-8 at byte offset 0");           // truncated
    CHECK(message("\xf4\x90\x80\x80") == "invalid UTF-8 at byte offset 0");   // above U+10FFFF
}

TEST_CASE("invalid UTF-8 after a character that needs normalization is still rejected") {
    // Found by the fuzzer: the one-pass fast path stops at the combining mark.
    CHECK_THROWS_WITH_AS(x_length("e\xcc\x81 \xff"), "invalid UTF-8 at byte offset 4", growth::Error);
}
