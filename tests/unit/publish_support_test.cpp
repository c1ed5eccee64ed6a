#include <doctest/doctest.h>

#include "core/publish/failure.hpp"
#include "core/publish/json_fields.hpp"
#include "publish_test_util.hpp"

using namespace growth::publish;
using namespace growth::publish::test;

TEST_CASE("publish support: parse_json refuses deep nesting instead of recursing") {
    CHECK(parse_json(std::string(64, '[') + std::string(64, ']')).has_value());
    CHECK_FALSE(parse_json(std::string(65, '[') + std::string(65, ']')).has_value());
    CHECK_FALSE(parse_json("{").has_value());
    CHECK(parse_json(R"({"a":"[[[["})").has_value());
}

TEST_CASE("publish support: field lookups tolerate every wrong type") {
    auto j = *parse_json(R"({"s":"x","n":5,"big":18446744073709551615,"ns":"42","o":{}})");
    CHECK(string_member(j, "s") == std::optional<std::string>("x"));
    CHECK_FALSE(string_member(j, "n").has_value());
    CHECK_FALSE(string_member(*parse_json("[1]"), "s").has_value());
    CHECK(integer_member(j, "n") == 5);
    CHECK(integer_member(j, "ns") == 42);
    CHECK_FALSE(integer_member(j, "big").has_value());
    CHECK_FALSE(integer_member(j, "o").has_value());
}

TEST_CASE("publish support: sanitize_message redacts secrets, flattens lines and bounds length") {
    CHECK(sanitize_message("bad token abcd1234\nagain abcd1234", {"abcd1234"}) ==
          "bad token [redacted] again [redacted]");
    auto long_text = std::string(298, 'a') + "é€";
    auto out = sanitize_message(long_text, {});
    CHECK(out == std::string(298, 'a') + "é...");
}

TEST_CASE("publish support: failure class names are stable") {
    CHECK(failure_class_name(FailureClass::retry_safe) == "retry_safe");
    CHECK(failure_class_name(FailureClass::rate_limited) == "rate_limited");
    CHECK(failure_class_name(FailureClass::needs_login) == "needs_login");
    CHECK(failure_class_name(FailureClass::permanent) == "permanent");
    CHECK(failure_class_name(FailureClass::ambiguous) == "ambiguous");
}

TEST_CASE("publish support: platform names round-trip") {
    for (auto p : {Platform::x, Platform::linkedin, Platform::facebook, Platform::instagram,
                   Platform::threads, Platform::mastodon, Platform::bluesky}) {
        CHECK(parse_platform(platform_name(p)) == p);
    }
    CHECK_FALSE(parse_platform("myspace").has_value());
}

TEST_CASE("publish support: an unknown platform value yields bad_input, not another platform") {
    Account a;
    a.platform = static_cast<Platform>(99);
    auto f = as_failure(make_part_publisher(a, Part{})->start(now()));
    CHECK(f.code == "bad_input");
    CHECK(as_failure(make_whoami(a)->start(now())).code == "bad_input");
}
