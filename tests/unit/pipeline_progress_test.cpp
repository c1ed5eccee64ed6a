// The pure publishing pipeline: post ids, backoff, what a part sends, states and exit codes.
#include <doctest/doctest.h>

#include <chrono>
#include <random>

#include "core/pipeline/post_id.hpp"
#include "core/exit_code.hpp"
#include "core/pipeline/progress.hpp"

using namespace growth;
using namespace growth::pipeline;

namespace {

publish::Instant at_ms(std::int64_t ms) { return publish::Instant(std::chrono::milliseconds(ms)); }

PartRecord part(int index, PartState state, std::string remote_id = {}) {
    PartRecord p;
    p.index = index;
    p.text = "part " + std::to_string(index);
    p.state = state;
    p.remote_id = std::move(remote_id);
    p.remote_url = p.remote_id.empty() ? "" : "https://example/" + p.remote_id;
    return p;
}

}  // namespace

TEST_CASE("post ids are 11 Crockford base32 characters that sort by creation time") {
    const std::string a = make_post_id(at_ms(1'764'212'000'000), 0);
    const std::string b = make_post_id(at_ms(1'764'212'000'001), 0);
    CHECK(a.size() == 11);
    CHECK(a < b);
    CHECK(make_post_id(at_ms(0), 0) == "00000000000");
    CHECK(make_post_id(at_ms(0), 1023) == "000000000zz");
}

TEST_CASE("backoff doubles from 2 s with jitter and never precedes the platform's reset") {
    std::mt19937 random(42);
    publish::Failure f;
    for (int i = 0; i < 50; ++i) {
        const Millis first = next_attempt_at(f, 1, 1000, random) - 1000;
        CHECK(first >= 1000);
        CHECK(first <= 2000);
        const Millis third = next_attempt_at(f, 3, 1000, random) - 1000;
        CHECK(third >= 4000);
        CHECK(third <= 8000);
    }
    CHECK(next_attempt_at(f, 40, 0, random) <= 15 * 60 * 1000);
    f.retry_at = at_ms(600'000);
    CHECK(next_attempt_at(f, 1, 1000, random) == 600'000);
}

TEST_CASE("a platform's wait longer than a day is refused, a posting budget's never") {
    publish::Failure f;
    f.cls = publish::FailureClass::rate_limited;
    CHECK(wait_refusal(f, 0).empty());
    f.retry_at = at_ms(max_platform_wait_ms);
    CHECK(wait_refusal(f, 0).empty());
    f.retry_at = at_ms(max_platform_wait_ms + 1);
    CHECK(wait_refusal(f, 0) == "the platform asked to wait until 1970-01-02T01:00:00.001Z, more than 25 hours ahead");
    f.code = "budget";
    CHECK(wait_refusal(f, 0).empty());
}

TEST_CASE("a later part replies to the previous part and names the root") {
    TargetRecord t;
    t.platform = publish::Platform::x;
    t.parts = {part(1, PartState::published, "1"), part(2, PartState::published, "2"),
               part(3, PartState::retry_wait)};
    REQUIRE(first_unpublished(t) == std::size_t{2});
    const publish::Part p = part_to_send(t, 2, "");
    CHECK(p.index == 3);
    CHECK(p.parent->id == "2");
    CHECK(p.root->id == "1");
    CHECK_FALSE(p.resume);
}

TEST_CASE("a part found in sending, unknown, or asking for a check is resumed, not blindly re-sent") {
    TargetRecord t;
    t.platform = publish::Platform::mastodon;
    t.parts = {part(1, PartState::sending)};
    CHECK(part_to_send(t, 0, "").resume);
    t.parts[0].state = PartState::unknown;
    CHECK(part_to_send(t, 0, "").resume);
    t.parts[0].state = PartState::retry_wait;
    t.parts[0].verify_on_retry = true;
    CHECK(part_to_send(t, 0, "").resume);
}

TEST_CASE("Bluesky parts carry their record key and facets; part 1 carries the media URL") {
    TargetRecord t;
    t.platform = publish::Platform::bluesky;
    t.parts = {part(1, PartState::prepared)};
    t.parts[0].text = "see https://example.com #tag";
    t.parts[0].record_key = "3n3bb47funste";
    const publish::Part p = part_to_send(t, 0, "https://img/x.jpg");
    CHECK(p.idempotency_key == "3n3bb47funste");
    CHECK(p.media_url == "https://img/x.jpg");
    REQUIRE(p.facets.size() == 2);
    CHECK(p.facets[0].byte_start == 4);
    CHECK(p.facets[0].byte_end == 23);
}

TEST_CASE("a part cannot be sent before the one it replies to is published") {
    TargetRecord t;
    t.parts = {part(1, PartState::failed), part(2, PartState::prepared)};
    CHECK_THROWS_AS(part_to_send(t, 1, ""), Error);
}

TEST_CASE("failure classes map onto part states") {
    CHECK(state_after(publish::FailureClass::retry_safe) == PartState::retry_wait);
    CHECK(state_after(publish::FailureClass::rate_limited) == PartState::retry_wait);
    CHECK(state_after(publish::FailureClass::needs_login) == PartState::needs_auth);
    CHECK(state_after(publish::FailureClass::permanent) == PartState::failed);
    CHECK(state_after(publish::FailureClass::ambiguous) == PartState::unknown);
}

TEST_CASE("post states summarise the targets") {
    CHECK(post_state({"published", "published"}, true) == "published");
    CHECK(post_state({"published", "sending"}, true) == "sending");
    CHECK(post_state({"published", "failed"}, true) == "partial");
    CHECK(post_state({"failed", "failed"}, false) == "failed");
    CHECK(post_state({"needs_auth", "unknown"}, false) == "failed");
}

TEST_CASE("exit codes: 0 all, 5 unknown, 6 login, 4 partial or waiting, 1 nothing") {
    auto post = [](std::vector<std::string> states) {
        rpc::Json parts = rpc::Json::array();
        for (const auto& s : states) parts.push_back({{"state", s}});
        return rpc::Json{{"targets", rpc::Json::array({rpc::Json{{"parts", parts}}})}};
    };
    CHECK(growth::exit_code_for_post(post({"published", "published"})) == ExitCode::ok);
    CHECK(growth::exit_code_for_post(post({"published", "unknown"})) == ExitCode::unknown);
    CHECK(growth::exit_code_for_post(post({"needs_auth", "prepared"})) == ExitCode::needs_login);
    CHECK(growth::exit_code_for_post(post({"published", "failed"})) == ExitCode::partial);
    CHECK(growth::exit_code_for_post(post({"retry_wait", "prepared"})) == ExitCode::partial);
    CHECK(growth::exit_code_for_post(post({"failed", "prepared"})) == ExitCode::failed);
    CHECK(growth::exit_code_for_post(post({"failed"})) == ExitCode::failed);
}

TEST_CASE("check after a failure: sticky until a known outcome") {
    publish::Failure f;
    f.cls = publish::FailureClass::rate_limited;
    f.code = "rate_limited";
    CHECK(check_after_failure(true, f));
    CHECK_FALSE(check_after_failure(false, f));
    f.cls = publish::FailureClass::retry_safe;
    f.code = "not_sent";
    CHECK(check_after_failure(true, f));
    f.code = "connection_lost";
    f.verify_on_retry = true;
    CHECK(check_after_failure(false, f));
    f.verify_on_retry = false;
    f.code = "not_published";
    CHECK(proves_not_applied(f));
    CHECK_FALSE(check_after_failure(true, f));
}

TEST_CASE("a missed part: 15 minutes after the post, target and post say missed, exit 4") {
    CHECK_FALSE(missed_window(0, 15 * 60 * 1000));
    CHECK(missed_window(0, 15 * 60 * 1000 + 1));
    TargetRecord t;
    t.parts = {part(1, PartState::published, "1"), part(2, PartState::missed)};
    CHECK(target_state(t, false) == "missed");
    CHECK(post_state({"missed", "missed"}, false) == "missed");
    CHECK(post_state({"missed", "published"}, true) == "partial");
    t.parts[0].state = PartState::missed;
    CHECK_FALSE(part_to_send(t, 0, "").resume);
    rpc::Json parts = rpc::Json::array({rpc::Json{{"state", "missed"}}, rpc::Json{{"state", "missed"}}});
    CHECK(growth::exit_code_for_post(rpc::Json{{"targets", rpc::Json::array({rpc::Json{{"parts", parts}}})}}) ==
          ExitCode::partial);
}
