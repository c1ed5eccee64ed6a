#include <doctest/doctest.h>

#include "core/publish/x.hpp"
#include "publish_test_util.hpp"

using namespace growth::publish;
using namespace growth::publish::test;

namespace {

Account account() {
    Account a;
    a.platform = Platform::x;
    a.api_base = "http://127.0.0.1:9000/x";
    a.username = "growthdev";
    a.access_token = "x-secret-token";
    return a;
}

Part first_part() {
    Part p;
    p.text = "Hello world";
    p.index = 1;
    return p;
}

Part reply_part() {
    Part p;
    p.text = "2/ more text";
    p.index = 2;
    p.parent =
        PartRef{"1346889436626259968", "", "https://x.com/growthdev/status/1346889436626259968"};
    p.root = p.parent;
    return p;
}

const char* kCreated =
    R"({"data":{"id":"1346889436626259968","text":"Hello world","edit_history_tweet_ids":["1346889436626259968"]}})";

}  // namespace

TEST_CASE("x: part 1 is POST /2/tweets with bearer token and {\"text\"}") {
    auto pub = make_part_publisher(account(), first_part());
    const auto& send = as_send(pub->start(now()));
    CHECK(send.request.method == "POST");
    CHECK(send.request.url == "http://127.0.0.1:9000/x/2/tweets");
    CHECK(header(send.request, "Authorization") == "Bearer x-secret-token");
    CHECK(header(send.request, "Content-Type") == "application/json");
    CHECK(send.request.body == R"({"text":"Hello world"})");
    CHECK(send.checkpoint.empty());
}

TEST_CASE("x: 201 yields the id, the public URL and the reply reference") {
    auto pub = make_part_publisher(account(), first_part());
    const auto& p = as_published(run(*pub, response(201, kCreated)));
    CHECK(p.remote_id == "1346889436626259968");
    CHECK(p.url == "https://x.com/growthdev/status/1346889436626259968");
    CHECK(p.ref.id == "1346889436626259968");
}

TEST_CASE("x: a reply part carries reply.in_reply_to_tweet_id") {
    auto pub = make_part_publisher(account(), reply_part());
    const auto& send = as_send(pub->start(now()));
    CHECK(send.request.body ==
          R"({"text":"2/ more text","reply":{"in_reply_to_tweet_id":"1346889436626259968"}})");
    const auto& p = as_published(pub->feed(
        response(201, R"({"data":{"id":"1346889436626259999","text":"2/ more text"}})"), now()));
    CHECK(p.remote_id == "1346889436626259999");
}

TEST_CASE("x: without a username the URL is the i/status form") {
    auto a = account();
    a.username.clear();
    CHECK(x::post_url(a, "42") == "https://x.com/i/status/42");
}

TEST_CASE("x: a reply without a parent is bad input and sends nothing") {
    auto part = reply_part();
    part.parent.reset();
    const auto& f = as_failure(make_part_publisher(account(), part)->start(now()));
    CHECK(f.cls == FailureClass::permanent);
    CHECK(f.code == "bad_input");
    CHECK(f.message == "X: part 2 has no parent reference");
}

TEST_CASE("x: text that is not UTF-8 is bad input") {
    auto part = first_part();
    part.text = "bad \xC3";
    const auto& f = as_failure(make_part_publisher(account(), part)->start(now()));
    CHECK(f.code == "bad_input");
    CHECK(f.message == "X: part text is not valid UTF-8");
}

TEST_CASE("x: 429 is rate_limited until x-rate-limit-reset") {
    auto pub = make_part_publisher(account(), first_part());
    const auto& f = as_failure(run(
        *pub,
        response(
            429,
            R"({"title":"Too Many Requests","detail":"Too Many Requests","type":"about:blank","status":429})",
            {{"x-rate-limit-limit", "100"},
             {"x-rate-limit-remaining", "0"},
             {"x-rate-limit-reset", "1767269700"}})));
    CHECK(f.cls == FailureClass::rate_limited);
    CHECK(f.code == "rate_limited");
    REQUIRE(f.retry_at.has_value());
    CHECK(*f.retry_at == *parse_iso8601("2026-01-01T12:15:00Z"));
    CHECK(f.message == "X post is rate limited: Too Many Requests (HTTP 429)");
}

TEST_CASE("x: an exhausted 24-hour user limit pushes the reset later") {
    auto pub = make_part_publisher(account(), first_part());
    const auto& f = as_failure(run(*pub, response(429, "{}",
                                                  {{"x-rate-limit-reset", "1767269700"},
                                                   {"x-user-limit-24hour-remaining", "0"},
                                                   {"x-user-limit-24hour-reset", "1767312000"}})));
    CHECK(*f.retry_at == *parse_iso8601("2026-01-02T00:00:00Z"));
}

TEST_CASE("x: 403 duplicate content is permanent duplicate_content") {
    auto pub = make_part_publisher(account(), first_part());
    const auto& f = as_failure(run(
        *pub,
        response(
            403,
            R"({"detail":"You are not allowed to create a Tweet with duplicate content.","type":"about:blank","title":"Forbidden","status":403})")));
    CHECK(f.cls == FailureClass::permanent);
    CHECK(f.code == "duplicate_content");
    CHECK(f.message ==
          "X post was refused as a duplicate: You are not allowed to create a Tweet with duplicate "
          "content. (HTTP 403)");
}

TEST_CASE("x: 401 needs a new login and never shows the token") {
    auto pub = make_part_publisher(account(), first_part());
    const auto& f = as_failure(run(
        *pub,
        response(
            401,
            R"({"title":"Unauthorized","type":"about:blank","status":401,"detail":"Unauthorized x-secret-token"})")));
    CHECK(f.cls == FailureClass::needs_login);
    CHECK(f.code == "token_invalid");
    CHECK(f.message == "X post needs a new login: Unauthorized [redacted] (HTTP 401)");
}

TEST_CASE("x: 400 invalid request is a permanent validation error") {
    auto pub = make_part_publisher(account(), first_part());
    const auto& f = as_failure(run(
        *pub,
        response(
            400,
            R"({"type":"https://api.x.com/2/problems/invalid-request","title":"Invalid Request","detail":"One or more parameters to your request was invalid.","errors":[{"parameters":{"text":[""]},"message":"text is empty"}]})")));
    CHECK(f.cls == FailureClass::permanent);
    CHECK(f.code == "validation");
}

// The timeline read-back after an uncertain create (defect 10 b): GET /2/users/me, then the
// user's tweets since two minutes before the attempt, with created_at and referenced_tweets.
namespace {

constexpr const char* kMe = R"({"data":{"id":"2244994945","name":"Dev","username":"growthdev"}})";
constexpr const char* kTimelineUrl =
    "http://127.0.0.1:9000/x/2/users/2244994945/tweets?max_results=100&start_time=2026-01-01T11%"
    "3A58%3A00Z&tweet.fields=created_at%2Creferenced_tweets";

std::string timeline(const std::string& items, const std::string& meta = R"({"result_count":1})") {
    return R"({"data":[)" + items + R"(],"meta":)" + meta + "}";
}

}  // namespace

TEST_CASE("x: a lost response is read back from the timeline and found published") {
    auto pub = make_part_publisher(account(), first_part());
    as_send(pub->start(now()));
    auto me = as_send(pub->feed(lost(), now()));
    CHECK(me.request.method == "GET");
    CHECK(me.request.url == "http://127.0.0.1:9000/x/2/users/me");
    CHECK(header(me.request, "Authorization") == "Bearer x-secret-token");
    auto list = as_send(pub->feed(response(200, kMe), now()));
    CHECK(list.request.url == kTimelineUrl);
    auto p = as_published(pub->feed(
        response(200, timeline(R"({"id":"1346889436626259968","text":"Hello world","created_at":"2026-01-01T12:00:01.000Z"})")),
        now()));
    CHECK(p.remote_id == "1346889436626259968");
    CHECK(p.url == "https://x.com/growthdev/status/1346889436626259968");
}

TEST_CASE("x: a lost response whose post is not in a complete timeline is retry_safe with a check") {
    auto pub = make_part_publisher(account(), first_part());
    auto f = as_failure(run(*pub, lost(), response(200, kMe),
                            response(200, R"({"meta":{"result_count":0}})")));
    CHECK(f.cls == FailureClass::retry_safe);
    CHECK(f.code == "not_published");
    CHECK(f.verify_on_retry);
    CHECK(f.message ==
          "X post got no response (timeout after 30 s); growth read the account back and the "
          "post is not there, so it is sent again (after one more check)");
}

TEST_CASE("x: a timeline the token cannot read leaves the part unknown") {
    auto pub = make_part_publisher(account(), first_part());
    auto f = as_failure(run(*pub, lost(), response(200, kMe),
                            response(403, R"({"title":"Forbidden","detail":"no read access"})")));
    CHECK(f.cls == FailureClass::ambiguous);
    CHECK(f.code == "unchecked");
    CHECK(f.message ==
          "X post: X post got no response (timeout after 30 s) and reading the account back "
          "could not tell whether part 1 was published (the token cannot read the timeline: HTTP "
          "403); check the account and resolve it");
}

TEST_CASE("x: a 401 on the account lookup also means cannot check") {
    auto pub = make_part_publisher(account(), first_part());
    auto f = as_failure(run(*pub, response(503, "down"), response(401, "{}")));
    CHECK(f.cls == FailureClass::ambiguous);
    CHECK(f.message.find("(the account lookup failed with HTTP 401)") != std::string::npos);
}

TEST_CASE("x: a timeline with more pages and no match cannot tell") {
    auto pub = make_part_publisher(account(), first_part());
    auto f = as_failure(run(
        *pub, lost(), response(200, kMe),
        response(200, timeline(R"({"id":"9","text":"other","created_at":"2026-01-01T12:00:30.000Z"})",
                               R"({"result_count":1,"next_token":"abc"})"))));
    CHECK(f.cls == FailureClass::ambiguous);
    CHECK(f.message.find("(the listing has more pages than growth reads)") != std::string::npos);
}

TEST_CASE("x: a reply matches only the tweet replying to its parent") {
    auto pub = make_part_publisher(account(), reply_part());
    as_send(pub->start(now()));
    as_send(pub->feed(response(503, "down"), now()));
    as_send(pub->feed(response(200, kMe), now()));
    auto p = as_published(pub->feed(
        response(200, timeline(
            R"({"id":"111","text":"2/ more text","referenced_tweets":[{"type":"replied_to","id":"999"}]},)"
            R"({"id":"112","text":"2/ more text"},)"
            R"({"id":"113","text":"2/ more text","referenced_tweets":[{"type":"replied_to","id":"1346889436626259968"}]})")),
        now()));
    CHECK(p.remote_id == "113");
}

TEST_CASE("x: a timeline text with t.co links and HTML escapes still matches") {
    auto part = first_part();
    part.text = "Fish & chips: https://example.com/a-long-path <3";
    auto pub = make_part_publisher(account(), part);
    auto p = as_published(run(
        *pub, lost(), response(200, kMe),
        response(200, timeline(R"({"id":"77","text":"Fish &amp; chips: https://t.co/AbCdEf &lt;3"})"))));
    CHECK(p.remote_id == "77");
}

TEST_CASE("x: a refused connection is retry_safe without a read-back") {
    auto b = make_part_publisher(account(), first_part());
    const auto& f = as_failure(run(*b, not_sent()));
    CHECK(f.cls == FailureClass::retry_safe);
    CHECK(f.code == "not_sent");
}

TEST_CASE("x: a 201 whose body is not JSON is read back") {
    auto pub = make_part_publisher(account(), first_part());
    auto f = as_failure(run(*pub, response(201, "<html>"), response(200, kMe),
                            response(200, R"({"meta":{"result_count":0}})")));
    CHECK(f.code == "not_published");
    CHECK(f.http_status == 201);
    CHECK(f.message.rfind("X post answered HTTP 201 but the body is not JSON; growth read", 0) == 0);
}

TEST_CASE("x: a 200 with only errors is a permanent refusal") {
    auto pub = make_part_publisher(account(), first_part());
    const auto& f =
        as_failure(run(*pub, response(200, R"({"errors":[{"message":"reply not allowed"}]})")));
    CHECK(f.cls == FailureClass::permanent);
    CHECK(f.message == "X post was refused: reply not allowed (HTTP 200)");
}

TEST_CASE("x: a resumed part reads the timeline first and sends only when absent") {
    auto part = first_part();
    part.resume = true;
    part.first_attempt_at = now() - std::chrono::minutes(10);
    auto pub = make_part_publisher(account(), part);
    auto me = as_send(pub->start(now()));
    CHECK(me.request.url == "http://127.0.0.1:9000/x/2/users/me");
    auto list = as_send(pub->feed(response(200, kMe), now()));
    // The window starts two minutes before the first attempt.
    CHECK(list.request.url.find("start_time=2026-01-01T11%3A48%3A00Z") != std::string::npos);
    auto create = as_send(pub->feed(response(200, R"({"meta":{"result_count":0}})"), now()));
    CHECK(create.request.method == "POST");
    CHECK(create.request.body == R"({"text":"Hello world"})");
    CHECK(as_published(pub->feed(response(201, kCreated), now())).remote_id ==
          "1346889436626259968");
}

TEST_CASE("x: a resumed part found in the timeline is published without a POST") {
    auto part = first_part();
    part.resume = true;
    auto pub = make_part_publisher(account(), part);
    auto p = as_published(
        run(*pub, response(200, kMe), response(200, timeline(R"({"id":"5","text":"Hello world"})"))));
    CHECK(p.remote_id == "5");
}

TEST_CASE("x: a resend refused as a duplicate after the read-back is unknown, not failed") {
    auto part = first_part();
    part.resume = true;
    auto pub = make_part_publisher(account(), part);
    auto f = as_failure(run(
        *pub, response(200, kMe), response(200, R"({"meta":{"result_count":0}})"),
        response(403, R"({"detail":"You are not allowed to create a Tweet with duplicate content.","title":"Forbidden","status":403})"),
        response(200, kMe), response(200, R"({"meta":{"result_count":0}})")));
    CHECK(f.cls == FailureClass::ambiguous);
    CHECK(f.code == "duplicate_after_lost");
}

TEST_CASE("x: a resend refused as a duplicate is read back once more: an attempt applied late is found") {
    // A create stalled across a restart lands after the first read-back (test_schedule_storm saw it).
    auto part = first_part();
    part.resume = true;
    auto pub = make_part_publisher(account(), part);
    auto p = as_published(run(
        *pub, response(200, kMe), response(200, R"({"meta":{"result_count":0}})"),
        response(403, R"({"detail":"You are not allowed to create a Tweet with duplicate content.","title":"Forbidden","status":403})"),
        response(200, kMe), response(200, timeline(R"({"id":"7","text":"Hello world"})"))));
    CHECK(p.remote_id == "7");
}

TEST_CASE("x: no access token needs a login") {
    auto a = account();
    a.access_token.clear();
    CHECK(as_failure(make_part_publisher(a, first_part())->start(now())).cls ==
          FailureClass::needs_login);
}

TEST_CASE("x: who-am-I is GET /2/users/me") {
    auto who = make_whoami(account());
    const auto& send = as_send(who->start(now()));
    CHECK(send.request.method == "GET");
    CHECK(send.request.url == "http://127.0.0.1:9000/x/2/users/me");
    CHECK(header(send.request, "Authorization") == "Bearer x-secret-token");
    const auto& id = as_identity(who->feed(
        response(200, R"({"data":{"id":"2244994945","name":"Dev","username":"growthdev"}})"),
        now()));
    CHECK(id.id == "2244994945");
    CHECK(id.username == "growthdev");
    CHECK(id.name == "Dev");
}

TEST_CASE("x: who-am-I with a revoked token needs a login") {
    auto who = make_whoami(account());
    CHECK(as_failure(run(*who, response(401, "{}"))).cls == FailureClass::needs_login);
}

TEST_CASE("x: who-am-I answered without data.id is a retry-safe bad_response naming the field") {
    auto who = make_whoami(account());
    auto f = as_failure(run(*who, response(200, R"({"data":{"username":"growthdev"}})")));
    CHECK(f.cls == FailureClass::retry_safe);
    CHECK(f.code == "bad_response");
    CHECK(f.message == "X who-am-I answered HTTP 200 but data.id is missing or not a string");
}

TEST_CASE("x: who-am-I without a token needs a login and sends nothing") {
    auto a = account();
    a.access_token.clear();
    auto f = as_failure(make_whoami(a)->start(now()));
    CHECK(f.cls == FailureClass::needs_login);
    CHECK(f.code == "no_token");
}

TEST_CASE("x: who-am-I whose response is lost is retry-safe (a GET changes nothing)") {
    auto who = make_whoami(account());
    CHECK(as_failure(run(*who, lost())).cls == FailureClass::retry_safe);
}

TEST_CASE("x: feed without an outstanding request is misuse") {
    auto pub = make_part_publisher(account(), first_part());
    CHECK(as_failure(pub->feed(response(201, kCreated), now())).code == "misuse");
}
