// The JSON nesting scanner that runs before any JSON from outside is parsed (core/json_depth.hpp).
#include <doctest/doctest.h>

#include <string>

#include "core/json_depth.hpp"
#include "core/json_parse.hpp"

using growth::json_depth_within;
using growth::JsonDepthScanner;

namespace {

std::string nested(int depth) { return std::string(depth, '[') + std::string(depth, ']'); }

}  // namespace

TEST_CASE("json depth: exactly the limit passes, one level more does not") {
    CHECK(json_depth_within(nested(64), 64));
    CHECK_FALSE(json_depth_within(nested(65), 64));
    CHECK(json_depth_within(R"({"a":[{"b":[1]}]})", 4));
    CHECK_FALSE(json_depth_within(R"({"a":[{"b":[1]}]})", 3));
    CHECK(json_depth_within("1", 0));
    CHECK_FALSE(json_depth_within("[]", 0));
}

TEST_CASE("json depth: siblings do not add up, only open levels count") {
    std::string wide = "[";
    for (int i = 0; i < 1000; ++i) wide += "[1],";
    wide += "[]]";
    CHECK(json_depth_within(wide, 2));
}

TEST_CASE("json depth: brackets inside strings, escaped quotes included, open nothing") {
    CHECK(json_depth_within(R"(["[[[[{{{{"])", 1));
    CHECK(json_depth_within(R"(["\"[[[[", "\\"])", 1));
    // After an escaped backslash the quote closes the string, so the '[' that follows counts.
    CHECK_FALSE(json_depth_within(R"(["\\", [[]]])", 2));
}

TEST_CASE("json depth: stray closers never buy room for more openers") {
    CHECK_FALSE(json_depth_within("]]]]]]]]" + nested(3), 2));
}

TEST_CASE("json depth: fed in pieces, a string or an escape may straddle two pieces") {
    JsonDepthScanner s(2);
    CHECK(s.feed("[\"ab\\"));  // [ "ab\   (the piece ends on a backslash)
    CHECK(s.feed("\""));        // the quote it escapes: still inside the string
    CHECK(s.feed("[[[\" ,"));   // so these brackets count for nothing; the quote closes it
    CHECK(s.feed("\"x\", [1]"));
    CHECK_FALSE(s.exceeded());
    CHECK_FALSE(s.feed("[["));
    CHECK(s.exceeded());
    CHECK_FALSE(s.feed("]"));  // exceeded is permanent
}

TEST_CASE("json depth: a 100,000-deep text is refused at once, without parsing it") {
    CHECK_FALSE(json_depth_within(nested(100'000), growth::default_max_json_depth));
    CHECK_FALSE(growth::parse_json_bounded(nested(100'000)).has_value());
    CHECK(growth::parse_json_bounded(nested(64)).has_value());
    CHECK_FALSE(growth::parse_json_bounded("[1,").has_value());
}
