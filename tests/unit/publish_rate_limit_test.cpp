#include <doctest/doctest.h>

#include "core/publish/rate_limit.hpp"
#include "publish_test_util.hpp"

using namespace growth::publish;
using growth::publish::test::now;
using std::chrono::seconds;

TEST_CASE("rate limit: epoch seconds") {
    CHECK(parse_epoch_seconds("1767269700") == parse_iso8601("2026-01-01T12:15:00Z"));
    CHECK(parse_epoch_seconds(" 0 ") == Instant{});
    CHECK_FALSE(parse_epoch_seconds("").has_value());
    CHECK_FALSE(parse_epoch_seconds("-5").has_value());
    CHECK_FALSE(parse_epoch_seconds("12abc").has_value());
    CHECK_FALSE(parse_epoch_seconds("99999999999999999999").has_value());
}

TEST_CASE("rate limit: ISO 8601 with fractions and offsets") {
    auto base = *parse_iso8601("2026-01-01T12:05:00Z");
    CHECK(parse_iso8601("2026-01-01T12:05:00.000000Z") == base);
    CHECK(parse_iso8601("2026-01-01T12:05:00.250Z") == base + std::chrono::milliseconds(250));
    CHECK(parse_iso8601("2026-01-01T14:05:00+02:00") == base);
    CHECK(parse_iso8601("2026-01-01T12:05:00") == base);
    CHECK_FALSE(parse_iso8601("2026-02-30T12:05:00Z").has_value());
    CHECK_FALSE(parse_iso8601("2026-01-01T25:05:00Z").has_value());
    CHECK_FALSE(parse_iso8601("2026-01-01T12:05:00Zjunk").has_value());
    CHECK_FALSE(parse_iso8601("yesterday").has_value());
}

TEST_CASE("rate limit: Retry-After as seconds or an HTTP date") {
    CHECK(parse_retry_after("30", now()) == now() + seconds(30));
    CHECK(parse_retry_after("Thu, 01 Jan 2026 12:01:00 GMT", now()) == now() + seconds(60));
    CHECK_FALSE(parse_retry_after("Thu, 01 Foo 2026 12:01:00 GMT", now()).has_value());
    CHECK_FALSE(parse_retry_after("soon", now()).has_value());
}

TEST_CASE("rate limit: X ignores 24-hour headers that are not exhausted") {
    growth::http::Headers h{{"x-rate-limit-reset", "1767269700"},
                            {"x-user-limit-24hour-remaining", "12"},
                            {"x-user-limit-24hour-reset", "1767312000"}};
    CHECK(x_reset(h, now()) == parse_iso8601("2026-01-01T12:15:00Z"));
}

TEST_CASE("rate limit: Mastodon falls back to Retry-After") {
    growth::http::Headers h{{"Retry-After", "10"}};
    CHECK(mastodon_reset(h, now()) == now() + seconds(10));
    growth::http::Headers bad{{"X-RateLimit-Reset", "not a date"}};
    CHECK_FALSE(mastodon_reset(bad, now()).has_value());
}

TEST_CASE("rate limit: Bluesky RateLimit-Reset is epoch seconds") {
    growth::http::Headers h{{"ratelimit-reset", "1767272400"}};
    CHECK(bluesky_reset(h, now()) == parse_iso8601("2026-01-01T13:00:00Z"));
}

TEST_CASE("rate limit: Meta takes the largest BUC regain time") {
    growth::http::Headers h{
        {"x-business-use-case-usage",
         R"({"1":[{"type":"pages","estimated_time_to_regain_access":3}],"2":[{"type":"instagram","estimated_time_to_regain_access":15}]})"}};
    CHECK(meta_reset(h, now()) == now() + std::chrono::minutes(15));
}

TEST_CASE("rate limit: Meta ignores malformed usage headers") {
    growth::http::Headers h{{"X-Business-Use-Case-Usage", "{not json"},
                            {"X-App-Usage", R"({"call_count":"x"})"}};
    CHECK_FALSE(meta_reset(h, now()).has_value());
}
