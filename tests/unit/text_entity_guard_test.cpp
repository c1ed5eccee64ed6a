// The splitter asks whether a break falls inside an entity by searching only the token around it
// (detail::EntityGuard). These tests hold it to find_entities over the whole text, at every
// code point boundary of twitter-text's own conformance texts and of random texts built from
// the pieces where context matters: links with and without a protocol, mentions, lists,
// hashtags, cashtags, CJK, emoji, every kind of space and the characters twitter-text treats
// specially before an entity.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "core/text/entities.hpp"
#include "core/text/split_breaks.hpp"

namespace {

using growth::text::detail::EntityGuard;

bool inside_whole(const std::vector<growth::text::Entity>& entities, std::size_t x) {
    return std::any_of(entities.begin(), entities.end(), [x](const auto& e) { return x > e.start && x < e.end; });
}

/// Compares the guard with the whole-text answer at every code point boundary, in order and
/// (a second guard) in reverse, since the splitter asks in both orders across segments.
void check_text(const std::string& text) {
    CAPTURE(text);
    const auto entities = growth::text::find_entities(text);
    EntityGuard forward(text), backward(text);
    std::vector<std::size_t> boundaries;
    for (std::size_t x = 0; x <= text.size(); ++x) {
        if (x == text.size() || (static_cast<unsigned char>(text[x]) & 0xC0) != 0x80) boundaries.push_back(x);
    }
    for (const auto x : boundaries) {
        CAPTURE(x);
        REQUIRE(forward.inside(x) == inside_whole(entities, x));
    }
    for (auto it = boundaries.rbegin(); it != boundaries.rend(); ++it) {
        const std::size_t x = *it;
        CAPTURE(x);
        REQUIRE(backward.inside(x) == inside_whole(entities, x));
    }
}

}  // namespace

TEST_CASE("entity guard: twitter-text's conformance texts, at every boundary") {
    std::ifstream in(std::string(GROWTH_SHARED_DIR) + "/specs/twitter-text-cases.jsonl");
    REQUIRE(in);
    int texts = 0;
    for (std::string line; std::getline(in, line);) {
        if (line.empty()) continue;
        const auto j = nlohmann::json::parse(line);
        if (!j.contains("text") || !j["text"].is_string()) continue;
        check_text(j["text"].get<std::string>());
        ++texts;
    }
    CHECK(texts > 10);
}

TEST_CASE("entity guard: random texts where context matters") {
    const std::vector<std::string> pieces = {
        "https://example.com/a?b=c", "http://t.co/xyz", "example.com", "www.example.co.jp/path", "a.b.c",
        "@alice", "@bob/list", "＠carol", "#tag", "#日本", "＃tag", "$CASH", "$1", "#1", "RT", "RT:",
        "x", "abc", "日本語", "中文字", "한국어", "😀", "👍🏽", "🇫🇷", ".", ",", ":", "!", "?", "-", "_", "/",
        "&", "*", "~", "+", "$", "@", "#", "\"", "(", ")", "「", "」", "。", "、", "\u0301", "\u200d",
        " ", "  ", "\n", "\n\n", "\t", "\u3000", "\u2028", "\u205f", "\u2003", "\u00a0", "\u2007", "\u202f",
    };
    std::mt19937 random(20261202);
    std::uniform_int_distribution<std::size_t> pick(0, pieces.size() - 1), count(1, 24);
    for (int i = 0; i < 4000; ++i) {
        std::string text;
        for (std::size_t n = count(random); n > 0; --n) text += pieces[pick(random)];
        check_text(text);
    }
}
