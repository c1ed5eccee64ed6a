// The thread splitter: behaviours one by one, then properties over generated texts.
#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/text/split_check.hpp"
#include "core/text/splitter.hpp"

using namespace growth::text;

namespace {

std::vector<std::string> bodies(const std::vector<Part>& parts) {
    std::vector<std::string> out;
    for (const auto& p : parts) out.push_back(p.text);
    return out;
}

std::string words(int n, const std::string& w = "word") {
    std::string s;
    for (int i = 0; i < n; ++i) s += (i ? " " : "") + w;
    return s;
}

std::string error_of(Platform p, std::string_view text, const SplitOptions& o = {}) {
    try {
        split_text(p, text, o);
    } catch (const growth::Error& e) {
        return e.kind() + ": " + e.what();
    }
    return "no error";
}

}  // namespace

TEST_CASE("a text that fits is one part without a label") {
    SplitOptions o;
    o.numbering = Numbering::slash;
    const auto parts = split_text(Platform::x, "  hello world \n", o);
    REQUIRE(parts.size() == 1);
    CHECK(parts[0].text == "hello world");
    CHECK(parts[0].label.empty());
    CHECK(parts[0].measure.length == 11);
}

TEST_CASE("an explicit marker line always starts a new part and is dropped") {
    const auto parts = split_text(Platform::x, "first\n---\nsecond\n  ---  \nthird");
    CHECK(bodies(parts) == std::vector<std::string>{"first", "second", "third"});
}

TEST_CASE("three dashes inside a line are text, not a marker") {
    CHECK(split_text(Platform::x, "a --- b").size() == 1);
}

TEST_CASE("paragraph breaks are preferred to sentence breaks") {
    // Two paragraphs of 150 and 100 characters: a 250-char first part would fit more, but the
    // paragraph is the better break with the same number of parts.
    const std::string p1 = words(30, "abcd") + ".";  // 149 chars
    const std::string p2 = words(20, "wxyz") + ". " + words(10, "end");
    const auto parts = split_text(Platform::x, p1 + "\n\n" + p2);
    REQUIRE(parts.size() == 2);
    CHECK(parts[0].text == p1);
}

TEST_CASE("sentence breaks are preferred to word breaks") {
    const std::string s1 = words(40, "abcd") + ".";  // 199 chars
    const std::string s2 = words(30, "wxyz") + ".";  // 149 chars
    const auto parts = split_text(Platform::x, s1 + " " + s2);
    REQUIRE(parts.size() == 2);
    CHECK(parts[0].text == s1);
    CHECK(parts[1].text == s2);
}

TEST_CASE("balanced: no stub last part when an even layout has as many parts") {
    const auto parts = split_text(Platform::x, words(120, "abc"));  // 479 chars: two parts
    REQUIRE(parts.size() == 2);
    CHECK(parts[0].measure.length >= 200);
    CHECK(parts[1].measure.length >= 200);
}

TEST_CASE("numbering counts inside the limit and the width of n matters") {
    SplitOptions o;
    o.numbering = Numbering::slash;
    // 9 parts need " k/9" (4 chars); 10 parts need " k/10" (5-6 chars) on every part.
    const auto nine = split_text(Platform::x, words(9 * 55, "abcd"), o);
    CHECK(check_split(Platform::x, words(9 * 55, "abcd"), o, nine).empty());
    for (const auto& p : nine) CHECK(p.measure.length <= 280);
    CHECK(nine.back().label == std::to_string(nine.size()) + "/" + std::to_string(nine.size()));
    const std::string text = words(560, "abcd");  // 2799 chars: 10+ parts
    const auto parts = split_text(Platform::x, text, o);
    CHECK(parts.size() >= 10);
    CHECK(parts[0].label == "1/" + std::to_string(parts.size()));
    CHECK(parts[0].text.substr(parts[0].text.size() - parts[0].label.size() - 1) == " " + parts[0].label);
    CHECK(check_split(Platform::x, text, o, parts).empty());
}

TEST_CASE("thread emoji numbering weighs 2 on X") {
    SplitOptions o;
    o.numbering = Numbering::thread;
    const std::string text = words(100, "abcd");
    const auto parts = split_text(Platform::x, text, o);
    REQUIRE(parts.size() == 2);
    CHECK(parts[0].label == "\U0001F9F5 1/2");
    CHECK(check_split(Platform::x, text, o, parts).empty());
}

TEST_CASE("a link is never split and counts 23 on X") {
    std::string text = words(50, "abcd") + " https://example.com/" + std::string(300, 'a') + " " + words(30, "wxyz");
    const auto parts = split_text(Platform::x, text);
    CHECK(check_split(Platform::x, text, {}, parts).empty());
    bool whole = false;
    for (const auto& p : parts) whole |= p.text.find("https://example.com/" + std::string(300, 'a')) != std::string::npos;
    CHECK(whole);
}

TEST_CASE("an over-long word is broken at grapheme boundaries") {
    std::string word;
    for (int i = 0; i < 200; ++i) word += "\U0001F468\u200D\U0001F469\u200D\U0001F467";  // 200 emoji, 1 grapheme each
    const auto parts = split_text(Platform::bluesky, word);
    REQUIRE(parts.size() == 2);
    CHECK(check_split(Platform::bluesky, word, {}, parts).empty());
}

TEST_CASE("CJK text without spaces breaks after full-width punctuation") {
    std::string text;
    for (int i = 0; i < 30; ++i) text += "\u65e5\u672c\u8a9e\u306e\u6587\u7ae0\u3067\u3059\u3002";  // 9 chars, 18 weight
    const auto parts = split_text(Platform::x, text);
    REQUIRE(parts.size() == 2);
    CHECK(parts[0].text.substr(parts[0].text.size() - 3) == "\u3002");
    CHECK(check_split(Platform::x, text, {}, parts).empty());
}

TEST_CASE("a link longer than a Bluesky post cannot be split") {
    const std::string url = "https://example.com/" + std::string(400, 'a');
    CHECK(error_of(Platform::bluesky, "see " + url).rfind("unsplittable: \"https://example.com/aaaaaaaaaaaaaaaaa...\" "
                                                          "cannot be split and does not fit in one part (bluesky allows 300 "
                                                          "graphemes and 3000 bytes per part)", 0) == 0);
}

TEST_CASE("empty text is refused") {
    CHECK(error_of(Platform::x, " \n\t ") == "bad_input: the text is empty");
    CHECK(error_of(Platform::x, "---") == "bad_input: the text is empty");
}

TEST_CASE("invalid UTF-8 is refused naming the byte offset") {
    CHECK(error_of(Platform::x, "ok \xc3") == "bad_input: invalid UTF-8 at byte offset 3");
}

TEST_CASE("mastodon honours a configured limit") {
    SplitOptions o;
    o.rules.mastodon_limit = 100;
    const auto parts = split_text(Platform::mastodon, words(50, "abcd"), o);
    CHECK(parts.size() == 3);
}

TEST_CASE("instagram splits on the hashtag cap") {
    std::string text;
    for (int i = 0; i < 45; ++i) text += "#tag" + std::to_string(i) + " ";
    const auto parts = split_text(Platform::instagram, text);
    REQUIRE(parts.size() == 2);
    CHECK(parts[0].measure.hashtags <= 30);
    CHECK(parts[1].measure.hashtags <= 30);
}

TEST_CASE("splitting is deterministic") {
    const std::string text = words(300, "abc") + "\n\n" + words(100, "de.");
    CHECK(bodies(split_text(Platform::x, text)) == bodies(split_text(Platform::x, text)));
}

TEST_CASE("properties hold on generated texts for every platform and numbering") {
    static const std::vector<std::string> pieces = {
        "word", "longerword", "the", "a", "x", "caf\u00e9", "e\u0301", "\u65e5\u672c\u8a9e", "\u3002", "\u3001",
        "\U0001F468\u200D\U0001F469\u200D\U0001F467", "\U0001F44D\U0001F3FD", "\U0001F1EF\U0001F1F5", "1\uFE0F\u20E3",
        "https://example.com/path_(x)?q=1", "example.com", "t.co", "@jack", "@alice@mastodon.social", "#growth",
        "$AAPL", "\u2026", "\u201Cquoted\u201D", "\u05E9\u05DC\u05D5\u05DD", "\u0928\u092E\u0938\u094D\u0924\u0947",
        "\u0E20\u0E32\u0E29\u0E32", std::string(90, 'z'), "a.b", "(paren)", "end."};
    static const std::vector<std::string> seps = {" ", " ", " ", "  ", "\n", "\n\n", ". ", ", ", "; ", "! ",
                                                  "", "\n---\n", "\t", "\u3000"};
    std::mt19937 rng(20261127);
    int checked = 0;
    for (int round = 0; round < 120; ++round) {
        std::string text;
        const int n = 1 + static_cast<int>(rng() % 400);
        for (int i = 0; i < n; ++i) {
            text += pieces[rng() % pieces.size()];
            text += seps[rng() % seps.size()];
        }
        for (const auto p : all_platforms()) {
            for (const auto numbering : {Numbering::none, Numbering::slash, Numbering::paren, Numbering::thread}) {
                SplitOptions o;
                o.numbering = numbering;
                o.rules.mastodon_limit = 200;
                std::vector<Part> parts;
                try {
                    parts = split_text(p, text, o);
                } catch (const growth::Error& e) {
                    // Only an unsplittable token may stop a split (long 'z' runs glued together).
                    CHECK_MESSAGE(std::string(e.kind()) == "unsplittable", e.what());
                    continue;
                }
                const auto problem = check_split(p, text, o, parts);
                CHECK_MESSAGE(problem.empty(), platform_name(p), " ", numbering_name(numbering), ": ", problem);
                ++checked;
            }
        }
    }
    CHECK(checked > 2000);
}

TEST_CASE("the pruned balancing scan gives the plain scan's parts to the byte") {
    // The balancing pass skips blocks of candidate starts that provably cannot win; the plain
    // scan weighs every one. Both must give the same parts, ties included (repeated identical
    // words make many layouts cost exactly the same).
    static const std::vector<std::string> pieces = {
        "word", "longerword", "a", "caf\u00e9", "\u65e5\u672c\u8a9e\u3002", "\U0001F44D\U0001F3FD",
        "https://example.com/path_(x)?q=1", "@jack", "#growth", "\u2026", "end.", std::string(40, 'z')};
    static const std::vector<std::string> seps = {" ", " ", " ", "\n", "\n\n", ". ", ", ", "", "\n---\n"};
    std::mt19937 rng(42);
    auto parts_of = [](Platform p, const std::string& text, const SplitOptions& o, bool plain) {
        growth::text::detail::plain_balance_scan = plain;
        std::vector<std::string> out;
        try {
            for (const auto& part : split_text(p, text, o))
                out.push_back(part.text + "@" + std::to_string(part.source_start) + "-" + std::to_string(part.source_end));
        } catch (const growth::Error& e) {
            out.push_back(std::string("error ") + e.what());
        }
        growth::text::detail::plain_balance_scan = false;
        return out;
    };
    int compared = 0, multi = 0;
    for (int round = 0; round < 60; ++round) {
        std::string text;
        const bool uniform = round % 3 == 0;
        const int n = 50 + static_cast<int>(rng() % 3000);
        for (int i = 0; i < n; ++i) {
            text += uniform ? std::string(round % 2 ? "abcd" : "wxyz") : pieces[rng() % pieces.size()];
            text += uniform ? std::string(" ") : seps[rng() % seps.size()];
        }
        for (const auto p : all_platforms()) {
            for (const auto numbering : {Numbering::none, Numbering::slash}) {
                SplitOptions o;
                o.numbering = numbering;
                o.rules.mastodon_limit = 200;
                const auto plain = parts_of(p, text, o, true);
                CHECK_MESSAGE(parts_of(p, text, o, false) == plain, platform_name(p), " round ", round);
                ++compared;
                multi += plain.size() > 1;
            }
        }
    }
    CHECK(compared == 60 * 7 * 2);
    CHECK(multi > 500);  // most texts need several parts, so the balancing pass ran
}
