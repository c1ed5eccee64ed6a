// Entities (twitter-text's extraction), Bluesky facets and LinkedIn escaping.
#include <doctest/doctest.h>

#include <fstream>
#include <string>
#include <vector>

#include "core/text/bluesky_facets.hpp"
#include "core/text/entities.hpp"
#include "core/text/linkedin_text.hpp"
#include "core/text/utf8.hpp"

using namespace growth::text;

namespace {

struct YamlCase {
    std::string description, text;
    bool expected;
};

// The few YAML features validate.yml uses: "group:" headers and items with double-quoted
// description/text (escapes \" \\ \n \t \uXXXX \UXXXXXXXX) and a boolean expected.
std::string unquote(std::string_view q) {
    std::string out;
    for (std::size_t i = 1; i + 1 < q.size(); ++i) {
        if (q[i] != '\\') {
            out.push_back(q[i]);
            continue;
        }
        const char e = q[++i];
        if (e == 'n') out.push_back('\n');
        else if (e == 't') out.push_back('\t');
        else if (e == 'u' || e == 'U') {
            const std::size_t len = e == 'u' ? 4 : 8;
            append_utf8(out, static_cast<char32_t>(std::stoul(std::string(q.substr(i + 1, len)), nullptr, 16)));
            i += len;
        } else out.push_back(e);
    }
    return out;
}

std::vector<YamlCase> yaml_group(const std::string& group) {
    std::ifstream in(std::string(GROWTH_SHARED_DIR) + "/specs/twitter-text-validate.yml");
    std::vector<YamlCase> out;
    std::string line;
    bool in_group = false;
    while (std::getline(in, line)) {
        if (line.rfind("  ", 0) == 0 && line.size() > 2 && line[2] != ' ') in_group = line == "  " + group + ":";
        if (!in_group) continue;
        const auto key = [&](const std::string& k) { return line.find(k) != std::string::npos; };
        if (key("- description: ")) out.push_back({unquote(line.substr(line.find('"'))), "", false});
        else if (key("text: ")) out.back().text = unquote(line.substr(line.find('"')));
        else if (key("expected: ")) out.back().expected = line.find("true") != std::string::npos;
    }
    return out;
}

std::u16string u16(std::string_view s) {
    std::u16string out;
    std::vector<std::uint32_t> offsets;
    utf8_to_utf16(s, out, offsets);
    return out;
}

}  // namespace

TEST_CASE("twitter-text conformance: usernames (isValidUsername)") {
    const auto cases = yaml_group("usernames");
    REQUIRE(cases.size() == 4);
    for (const auto& c : cases) {
        SUBCASE(c.description.c_str()) {
            std::vector<tw::UnitEntity> m;
            const auto t = u16(c.text);
            tw::extract_mentions(t, m);
            const bool valid = m.size() == 1 && m[0].start == 0 && m[0].end == t.size();
            CHECK(valid == c.expected);
        }
    }
}

TEST_CASE("twitter-text conformance: lists (isValidList)") {
    const auto cases = yaml_group("lists");
    REQUIRE(cases.size() == 5);
    for (const auto& c : cases) {
        SUBCASE(c.description.c_str()) {
            std::vector<tw::UnitEntity> m;
            const auto t = u16(c.text);
            tw::extract_mentions(t, m);
            const bool valid = m.size() == 1 && m[0].start == 0 && m[0].end == t.size() &&
                               t.find(u'/') != std::u16string::npos;
            CHECK(valid == c.expected);
        }
    }
}

TEST_CASE("twitter-text conformance: hashtags (isValidHashtag)") {
    const auto cases = yaml_group("hashtags");
    REQUIRE(cases.size() == 7);
    for (const auto& c : cases) {
        SUBCASE(c.description.c_str()) {
            std::vector<tw::UnitEntity> h;
            const auto t = u16(c.text);
            tw::extract_hashtags(t, h);
            const bool valid = h.size() == 1 && h[0].start == 0 && h[0].end == t.size();
            CHECK(valid == c.expected);
        }
    }
}

TEST_CASE("twitter-text conformance: URLs without protocol are found whole") {
    const auto cases = yaml_group("urls_without_protocol");
    REQUIRE(cases.size() == 5);
    for (const auto& c : cases) {
        SUBCASE(c.description.c_str()) {
            const auto e = find_entities(c.text);
            REQUIRE(e.size() == 1);
            CHECK(e[0].kind == EntityKind::url);
            CHECK(e[0].start == 0);
            CHECK(e[0].end == c.text.size());
        }
    }
}

TEST_CASE("entities carry UTF-8 byte offsets") {
    const auto e = find_entities("h\u00e9 @jack #caf\u00e9 $AAPL https://x.com");
    REQUIRE(e.size() == 4);
    CHECK(e[0].kind == EntityKind::mention);
    CHECK(e[0].start == 4);
    CHECK(e[0].end == 9);
    CHECK(e[1].kind == EntityKind::hashtag);
    CHECK(e[1].start == 10);
    CHECK(e[1].end == 16);
    CHECK(e[2].kind == EntityKind::cashtag);
    CHECK(e[3].kind == EntityKind::url);
    CHECK(e[3].has_protocol);
}

TEST_CASE("bluesky facets: byte offsets of a link after multi-byte text") {
    const auto f = bluesky_facets("\u2728 see example.com now");
    REQUIRE(f.size() == 1);
    CHECK(f[0].kind == BlueskyFacet::Kind::link);
    CHECK(f[0].byte_start == 8);
    CHECK(f[0].byte_end == 19);
    CHECK(f[0].value == "https://example.com");
}

TEST_CASE("bluesky facets: a handle mention and a tag") {
    const auto f = bluesky_facets("hi @alice.bsky.social #growth");
    REQUIRE(f.size() == 2);
    CHECK(f[0].kind == BlueskyFacet::Kind::mention);
    CHECK(f[0].value == "alice.bsky.social");
    CHECK(f[0].byte_start == 3);
    CHECK(f[0].byte_end == 21);
    CHECK(f[1].kind == BlueskyFacet::Kind::tag);
    CHECK(f[1].value == "growth");
}

TEST_CASE("linkedin little text escapes every reserved character") {
    CHECK(linkedin_escape("a (b) #c @d [e] {f} <g> | \\ * _ ~") ==
          "a \\(b\\) \\#c \\@d \\[e\\] \\{f\\} \\<g\\> \\| \\\\ \\* \\_ \\~");
    CHECK(linkedin_escape("plain text.") == "plain text.");
}
