#include <doctest/doctest.h>

#include "core/publish/mastodon.hpp"
#include "publish_test_util.hpp"

using namespace growth::publish;
using namespace growth::publish::test;

namespace {

Account account() {
    Account a;
    a.platform = Platform::mastodon;
    a.api_base = "http://127.0.0.1:9000/mastodon";
    a.access_token = "mastodon-secret";
    a.mastodon.language = "en";
    return a;
}

Part part(int index) {
    Part p;
    p.index = index;
    p.text = index == 1 ? "Hello" : "2/ more";
    p.idempotency_key = "3f1c2b9e-7d1a-4c55-9e1f-0a2b3c4d5e6f";
    if (index > 1) {
        p.parent = PartRef{"103254962155278888", "", ""};
        p.root = p.parent;
    }
    return p;
}

const char* kStatus =
    R"({"id":"103254962155278888","created_at":"2019-12-05T11:34:47.196Z","uri":"https://social.example/users/dev/statuses/103254962155278888","url":"https://social.example/@dev/103254962155278888","content":"<p>Hello</p>","in_reply_to_id":null,"visibility":"public"})";

}  // namespace

TEST_CASE("mastodon: part 1 is POST /api/v1/statuses with the Idempotency-Key header") {
    auto send = as_send(make_part_publisher(account(), part(1))->start(now()));
    CHECK(send.request.method == "POST");
    CHECK(send.request.url == "http://127.0.0.1:9000/mastodon/api/v1/statuses");
    CHECK(header(send.request, "Authorization") == "Bearer mastodon-secret");
    CHECK(header(send.request, "Idempotency-Key") == "3f1c2b9e-7d1a-4c55-9e1f-0a2b3c4d5e6f");
    CHECK(header(send.request, "Content-Type") == "application/json");
    CHECK(send.request.body == R"({"status":"Hello","visibility":"public","language":"en"})");
}

TEST_CASE("mastodon: a reply carries in_reply_to_id") {
    auto send = as_send(make_part_publisher(account(), part(2))->start(now()));
    CHECK(
        send.request.body ==
        R"({"status":"2/ more","in_reply_to_id":"103254962155278888","visibility":"public","language":"en"})");
}

TEST_CASE("mastodon: 200 yields id and url") {
    auto pub = make_part_publisher(account(), part(1));
    auto p = as_published(run(*pub, response(200, kStatus)));
    CHECK(p.remote_id == "103254962155278888");
    CHECK(p.url == "https://social.example/@dev/103254962155278888");
    CHECK(p.ref.id == "103254962155278888");
}

TEST_CASE("mastodon: a null url falls back to uri") {
    auto pub = make_part_publisher(account(), part(1));
    auto p = as_published(run(
        *pub,
        response(200,
                 R"({"id":"7","uri":"https://social.example/users/dev/statuses/7","url":null})")));
    CHECK(p.url == "https://social.example/users/dev/statuses/7");
}

TEST_CASE("mastodon: a lost response is retry_safe thanks to the idempotency key") {
    auto pub = make_part_publisher(account(), part(1));
    auto f = as_failure(run(*pub, lost()));
    CHECK(f.cls == FailureClass::retry_safe);
    CHECK(f.code == "connection_lost");
    CHECK(f.verify_on_retry);
}

TEST_CASE("mastodon: a 502 is retry_safe thanks to the idempotency key") {
    auto pub = make_part_publisher(account(), part(1));
    auto f = as_failure(run(*pub, response(502, "<html>bad gateway</html>")));
    CHECK(f.cls == FailureClass::retry_safe);
    CHECK(f.code == "http_502");
}

TEST_CASE("mastodon: a resumed part resends the same key within the hour") {
    auto p = part(1);
    p.resume = true;
    p.first_attempt_at = now() - std::chrono::minutes(10);
    auto send = as_send(make_part_publisher(account(), p)->start(now()));
    CHECK(header(send.request, "Idempotency-Key") == "3f1c2b9e-7d1a-4c55-9e1f-0a2b3c4d5e6f");
}

TEST_CASE("mastodon: a resumed part older than the key window is ambiguous without sending") {
    auto p = part(1);
    p.resume = true;
    p.first_attempt_at = now() - std::chrono::minutes(56);
    auto f = as_failure(make_part_publisher(account(), p)->start(now()));
    CHECK(f.cls == FailureClass::ambiguous);
    CHECK(f.code == "idempotency_expired");
}

TEST_CASE("mastodon: a part without an idempotency key is bad input") {
    auto p = part(1);
    p.idempotency_key.clear();
    auto f = as_failure(make_part_publisher(account(), p)->start(now()));
    CHECK(f.code == "bad_input");
    CHECK(f.message == "Mastodon: the part has no idempotency key");
}

TEST_CASE("mastodon: 429 is rate_limited until the ISO 8601 X-RateLimit-Reset") {
    auto pub = make_part_publisher(account(), part(1));
    auto f =
        as_failure(run(*pub, response(429, R"({"error":"Too many requests"})",
                                      {{"X-RateLimit-Limit", "300"},
                                       {"X-RateLimit-Remaining", "0"},
                                       {"X-RateLimit-Reset", "2026-01-01T12:05:00.000000Z"}})));
    CHECK(f.cls == FailureClass::rate_limited);
    CHECK(*f.retry_at == *parse_iso8601("2026-01-01T12:05:00Z"));
    CHECK(f.message == "Mastodon post is rate limited: Too many requests (HTTP 429)");
}

TEST_CASE("mastodon: 401 needs a new login") {
    auto pub = make_part_publisher(account(), part(1));
    auto f = as_failure(run(*pub, response(401, R"({"error":"The access token is invalid"})")));
    CHECK(f.cls == FailureClass::needs_login);
    CHECK(f.message == "Mastodon post needs a new login: The access token is invalid (HTTP 401)");
}

TEST_CASE("mastodon: 422 is a permanent validation error with the server's text") {
    auto pub = make_part_publisher(account(), part(1));
    auto f = as_failure(
        run(*pub, response(422, R"({"error":"Validation failed: Text can't be blank"})")));
    CHECK(f.cls == FailureClass::permanent);
    CHECK(f.code == "validation");
    CHECK(f.message ==
          "Mastodon post was refused: Validation failed: Text can't be blank (HTTP 422)");
}

TEST_CASE("mastodon: a 200 without an id is retry_safe bad_response") {
    auto pub = make_part_publisher(account(), part(1));
    auto f = as_failure(run(*pub, response(200, R"({"id":5})")));
    CHECK(f.cls == FailureClass::retry_safe);
    CHECK(f.code == "bad_response");
    CHECK(
        f.message ==
        "Mastodon post answered HTTP 200 but id is missing or not a string; a retry is idempotent");
}

TEST_CASE("mastodon: who-am-I is verify_credentials") {
    auto who = make_whoami(account());
    auto send = as_send(who->start(now()));
    CHECK(send.request.url == "http://127.0.0.1:9000/mastodon/api/v1/accounts/verify_credentials");
    auto id = as_identity(who->feed(
        response(200, R"({"id":"109","username":"dev","acct":"dev","display_name":"Dev"})"),
        now()));
    CHECK(id.id == "109");
    CHECK(id.username == "dev");
}

TEST_CASE("mastodon: a resumed part without a first-attempt time is resent with its key") {
    auto p = part(2);
    p.resume = true;
    auto send = as_send(make_part_publisher(account(), p)->start(now()));
    CHECK(header(send.request, "Idempotency-Key") == "3f1c2b9e-7d1a-4c55-9e1f-0a2b3c4d5e6f");
}

TEST_CASE("mastodon: an account without an instance URL is bad input") {
    auto a = account();
    a.api_base.clear();
    CHECK(as_failure(make_part_publisher(a, part(1))->start(now())).message ==
          "Mastodon: the account has no instance URL");
}

TEST_CASE("mastodon: a ScheduledStatus answer is permanent, not an endless retry") {
    auto pub = make_part_publisher(account(), part(1));
    auto f = as_failure(run(
        *pub,
        response(
            200,
            R"({"id":"3221","scheduled_at":"2026-01-02T00:00:00.000Z","params":{"text":"Hello","idempotency":null},"media_attachments":[]})")));
    CHECK(f.cls == FailureClass::permanent);
    CHECK(f.code == "scheduled_status");
}
