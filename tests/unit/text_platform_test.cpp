// Per-platform counting, names and continuation.
#include <doctest/doctest.h>

#include "core/text/platform.hpp"

using namespace growth::text;

TEST_CASE("platform names round-trip and typos get a suggestion") {
    for (const auto p : all_platforms()) CHECK(parse_platform(platform_name(p)) == p);
    CHECK_FALSE(parse_platform("twitter").has_value());
    CHECK(suggest_platform("twitter") == "x");
    CHECK(suggest_platform("blusky") == "bluesky");
    CHECK(suggest_platform("linkdin") == "linkedin");
    CHECK(suggest_platform("zzzzzzzz").empty());
}

TEST_CASE("continuation: reply chains and comments") {
    CHECK(continuation(Platform::x) == Continuation::reply);
    CHECK(continuation(Platform::threads) == Continuation::reply);
    CHECK(continuation(Platform::mastodon) == Continuation::reply);
    CHECK(continuation(Platform::bluesky) == Continuation::reply);
    CHECK(continuation(Platform::linkedin) == Continuation::comment);
    CHECK(continuation(Platform::facebook) == Continuation::comment);
    CHECK(continuation(Platform::instagram) == Continuation::comment);
}

TEST_CASE("limits per platform") {
    CHECK(limits(Platform::x).length == 280);
    CHECK(limits(Platform::linkedin).length == 3000);
    CHECK(limits(Platform::facebook).length == 63206);
    CHECK(limits(Platform::instagram).length == 2200);
    CHECK(limits(Platform::instagram).hashtags == 30);
    CHECK(limits(Platform::instagram).mentions == 20);
    CHECK(limits(Platform::threads).length == 500);
    CHECK(limits(Platform::threads).links == 5);
    CHECK(limits(Platform::mastodon).length == 500);
    CHECK(limits(Platform::mastodon, RuleOptions{1000}).length == 1000);
    CHECK(limits(Platform::bluesky).length == 300);
    CHECK(limits(Platform::bluesky).bytes == 3000);
}

TEST_CASE("bluesky counts graphemes and bytes") {
    const auto m = measure(Platform::bluesky, "\U0001F468\u200D\U0001F469\u200D\U0001F467 e\u0301!");
    CHECK(m.length == 4);
    CHECK(m.bytes == 18 + 1 + 3 + 1);
}

TEST_CASE("mastodon counts links as 23 and remote mentions by their local part") {
    CHECK(measure(Platform::mastodon, "https://example.com/a/very/long/path/indeed/yes").length == 23);
    CHECK(measure(Platform::mastodon, "example.com").length == 11);  // no scheme: not a link here
    CHECK(measure(Platform::mastodon, "hi @alice@mastodon.social!").length == 10);
    CHECK(measure(Platform::mastodon, "mail bob@example.com").length == 20);
}

TEST_CASE("threads counts emoji by their UTF-8 bytes") {
    CHECK(measure(Platform::threads, "ok \U0001F600").length == 3 + 4);
    CHECK(measure(Platform::threads, "caf\u00e9").length == 4);
}

TEST_CASE("threads counts distinct links") {
    CHECK(measure(Platform::threads, "a.com b.com a.com").links == 2);
}

TEST_CASE("linkedin, facebook and instagram count UTF-16 units") {
    CHECK(measure(Platform::linkedin, "a\U0001F600").length == 3);
    CHECK(measure(Platform::facebook, "\u00e9").length == 1);
    const auto m = measure(Platform::instagram, "#a #b @c");
    CHECK(m.length == 8);
    CHECK(m.hashtags == 2);
    CHECK(m.mentions == 1);
}

TEST_CASE("within: empty text and every cap") {
    Measure m;
    CHECK_FALSE(within(m, limits(Platform::x)));
    m.length = 280;
    CHECK(within(m, limits(Platform::x)));
    m.length = 281;
    CHECK_FALSE(within(m, limits(Platform::x)));
    Measure b;
    b.length = 10;
    b.bytes = 3001;
    CHECK_FALSE(within(b, limits(Platform::bluesky)));
    Measure i;
    i.length = 10;
    i.hashtags = 31;
    CHECK_FALSE(within(i, limits(Platform::instagram)));
}
