#include <doctest/doctest.h>

#include "core/publish/bluesky.hpp"
#include "core/publish/bluesky_tid.hpp"
#include "publish_test_util.hpp"

using namespace growth::publish;
using namespace growth::publish::test;

namespace {

constexpr const char* kDid = "did:plc:abc123";
constexpr const char* kRkey = "3lbq5z2k7xs2a";

Account account(bool with_session = true) {
    Account a;
    a.platform = Platform::bluesky;
    a.api_base = "http://127.0.0.1:9000/bsky";
    a.username = "alice.test";
    a.app_password = "abcd-efgh-ijkl-mnop";
    if (with_session)
        a.session = BlueskySession{"access-jwt-1", "refresh-jwt-1", kDid, "alice.test"};
    return a;
}

Part part(int index) {
    Part p;
    p.index = index;
    p.text = index == 1 ? "Hello" : "2/ more";
    p.idempotency_key = kRkey;
    if (index > 1) {
        p.root = PartRef{"at://did:plc:abc123/app.bsky.feed.post/3lbq5z2k7xs22", "bafyroot", ""};
        p.parent =
            PartRef{"at://did:plc:abc123/app.bsky.feed.post/3lbq5z2k7xs23", "bafyparent", ""};
    }
    return p;
}

const char* kCreated =
    R"({"uri":"at://did:plc:abc123/app.bsky.feed.post/3lbq5z2k7xs2a","cid":"bafyreinew","commit":{"cid":"bafyc","rev":"3l"},"validationStatus":"valid"})";
const char* kGetRecordUrl =
    "http://127.0.0.1:9000/bsky/xrpc/"
    "com.atproto.repo.getRecord?repo=did%3Aplc%3Aabc123&collection=app.bsky.feed.post&rkey="
    "3lbq5z2k7xs2a";

}  // namespace

TEST_CASE("bluesky: part 1 is createRecord at the caller's rkey") {
    auto send = as_send(make_part_publisher(account(), part(1))->start(now()));
    CHECK(send.request.method == "POST");
    CHECK(send.request.url == "http://127.0.0.1:9000/bsky/xrpc/com.atproto.repo.createRecord");
    CHECK(header(send.request, "Authorization") == "Bearer access-jwt-1");
    CHECK(header(send.request, "Content-Type") == "application/json");
    CHECK(
        send.request.body ==
        R"({"repo":"did:plc:abc123","collection":"app.bsky.feed.post","rkey":"3lbq5z2k7xs2a","record":{"$type":"app.bsky.feed.post","text":"Hello","createdAt":"2026-01-01T12:00:00.000Z"}})");
    CHECK(send.checkpoint.empty());
}

TEST_CASE("bluesky: 200 yields the at-uri, cid and bsky.app URL") {
    auto pub = make_part_publisher(account(), part(1));
    auto p = as_published(run(*pub, response(200, kCreated)));
    CHECK(p.remote_id == "at://did:plc:abc123/app.bsky.feed.post/3lbq5z2k7xs2a");
    CHECK(p.ref.cid == "bafyreinew");
    CHECK(p.url == "https://bsky.app/profile/did:plc:abc123/post/3lbq5z2k7xs2a");
}

TEST_CASE("bluesky: a reply carries root and parent strong refs, and langs") {
    auto a = account();
    a.bluesky.langs = {"en"};
    auto send = as_send(make_part_publisher(a, part(2))->start(now()));
    CHECK(
        send.request.body ==
        R"({"repo":"did:plc:abc123","collection":"app.bsky.feed.post","rkey":"3lbq5z2k7xs2a","record":{"$type":"app.bsky.feed.post","text":"2/ more","createdAt":"2026-01-01T12:00:00.000Z","langs":["en"],"reply":{"root":{"uri":"at://did:plc:abc123/app.bsky.feed.post/3lbq5z2k7xs22","cid":"bafyroot"},"parent":{"uri":"at://did:plc:abc123/app.bsky.feed.post/3lbq5z2k7xs23","cid":"bafyparent"}}}})");
}

TEST_CASE("bluesky: a reply without parent CID is bad input") {
    auto p = part(2);
    p.parent->cid.clear();
    auto f = as_failure(make_part_publisher(account(), p)->start(now()));
    CHECK(f.code == "bad_input");
    CHECK(f.message == "Bluesky: part 2 needs the CIDs of its parent and root");
}

TEST_CASE("bluesky: facets are sent with UTF-8 byte offsets") {
    auto p = part(1);
    p.text = "héllo https://example.com #growth @bob";  // é is 2 bytes: the URL starts at byte 7
    p.facets = {{Facet::Kind::link, 7, 26, "https://example.com"},
                {Facet::Kind::tag, 27, 34, "growth"},
                {Facet::Kind::mention, 35, 39, "did:plc:bob"}};
    auto send = as_send(make_part_publisher(account(), p)->start(now()));
    CHECK(
        send.request.body ==
        R"({"repo":"did:plc:abc123","collection":"app.bsky.feed.post","rkey":"3lbq5z2k7xs2a","record":{"$type":"app.bsky.feed.post","text":"héllo https://example.com #growth @bob","createdAt":"2026-01-01T12:00:00.000Z","facets":[{"index":{"byteStart":7,"byteEnd":26},"features":[{"$type":"app.bsky.richtext.facet#link","uri":"https://example.com"}]},{"index":{"byteStart":27,"byteEnd":34},"features":[{"$type":"app.bsky.richtext.facet#tag","tag":"growth"}]},{"index":{"byteStart":35,"byteEnd":39},"features":[{"$type":"app.bsky.richtext.facet#mention","did":"did:plc:bob"}]}]}})");
}

TEST_CASE("bluesky: a facet inside a UTF-8 character is bad input") {
    auto p = part(1);
    p.text = "héllo";
    p.facets = {{Facet::Kind::tag, 2, 4, "x"}};
    auto f = as_failure(make_part_publisher(account(), p)->start(now()));
    CHECK(f.message == "Bluesky: facet 1 does not start and end on UTF-8 character boundaries");
}

TEST_CASE("bluesky: a facet past the end of the text is bad input") {
    auto p = part(1);
    p.facets = {{Facet::Kind::link, 0, 6, "https://e.x"}};
    CHECK(as_failure(make_part_publisher(account(), p)->start(now())).message ==
          "Bluesky: facet 1 ends past the text");
}

TEST_CASE("bluesky: an rkey that is not a TID is bad input") {
    auto p = part(1);
    p.idempotency_key = "not-a-tid";
    auto f = as_failure(make_part_publisher(account(), p)->start(now()));
    CHECK(f.message == "Bluesky: the record key must be a TID (13 base32-sortable characters)");
}

TEST_CASE("bluesky: without a session the publisher logs in and checkpoints the session first") {
    auto pub = make_part_publisher(account(false), part(1));
    auto login = as_send(pub->start(now()));
    CHECK(login.request.url == "http://127.0.0.1:9000/bsky/xrpc/com.atproto.server.createSession");
    CHECK(login.request.body == R"({"identifier":"alice.test","password":"abcd-efgh-ijkl-mnop"})");
    CHECK_FALSE(login.request.headers.has("Authorization"));
    auto create = as_send(pub->feed(
        response(
            200,
            R"({"accessJwt":"access-2","refreshJwt":"refresh-2","handle":"alice.test","did":"did:plc:abc123","active":true})"),
        now()));
    REQUIRE(create.checkpoint.session.has_value());
    CHECK(*create.checkpoint.session ==
          BlueskySession{"access-2", "refresh-2", kDid, "alice.test"});
    CHECK(header(create.request, "Authorization") == "Bearer access-2");
    CHECK(as_published(pub->feed(response(200, kCreated), now())).ref.cid == "bafyreinew");
}

TEST_CASE("bluesky: an expired access token is refreshed once, then the same rkey is sent") {
    auto pub = make_part_publisher(account(), part(1));
    auto first = as_send(pub->start(now()));
    auto refresh = as_send(pub->feed(
        response(400, R"({"error":"ExpiredToken","message":"Token has expired"})"), now()));
    CHECK(refresh.request.url ==
          "http://127.0.0.1:9000/bsky/xrpc/com.atproto.server.refreshSession");
    CHECK(header(refresh.request, "Authorization") == "Bearer refresh-jwt-1");
    CHECK(refresh.request.body.empty());
    auto again = as_send(pub->feed(
        response(
            200,
            R"({"accessJwt":"access-3","refreshJwt":"refresh-3","handle":"alice.test","did":"did:plc:abc123"})"),
        now()));
    REQUIRE(again.checkpoint.session.has_value());
    CHECK(again.checkpoint.session->refresh_jwt == "refresh-3");
    CHECK(header(again.request, "Authorization") == "Bearer access-3");
    CHECK(again.request.body == first.request.body);
}

TEST_CASE("bluesky: an expired refresh token falls back to the app password") {
    auto pub = make_part_publisher(account(), part(1));
    as_send(pub->start(now()));
    as_send(pub->feed(response(400, R"({"error":"ExpiredToken","message":"Token has expired"})"),
                      now()));
    auto login = as_send(pub->feed(
        response(400, R"({"error":"ExpiredToken","message":"Token has expired"})"), now()));
    CHECK(login.request.url == "http://127.0.0.1:9000/bsky/xrpc/com.atproto.server.createSession");
}

TEST_CASE("bluesky: a refused app password needs a login and never shows it") {
    auto a = account(false);
    auto pub = make_part_publisher(a, part(1));
    auto f = as_failure(run(
        *pub,
        response(
            401,
            R"({"error":"AuthenticationRequired","message":"Invalid identifier or password abcd-efgh-ijkl-mnop"})")));
    CHECK(f.cls == FailureClass::needs_login);
    CHECK(f.code == "login_failed");
    CHECK(f.message ==
          "Bluesky login was refused: AuthenticationRequired: Invalid identifier or password "
          "[redacted] (HTTP 401); log in again");
}

TEST_CASE("bluesky: without session or app password it needs a login") {
    auto a = account(false);
    a.app_password.clear();
    auto f = as_failure(make_part_publisher(a, part(1))->start(now()));
    CHECK(f.cls == FailureClass::needs_login);
    CHECK(f.code == "no_session");
}

TEST_CASE("bluesky: a lost createRecord is checked with getRecord and found published") {
    auto pub = make_part_publisher(account(), part(1));
    as_send(pub->start(now()));
    auto check = as_send(pub->feed(lost(), now()));
    CHECK(check.request.method == "GET");
    CHECK(check.request.url == kGetRecordUrl);
    auto p = as_published(pub->feed(
        response(
            200,
            R"({"uri":"at://did:plc:abc123/app.bsky.feed.post/3lbq5z2k7xs2a","cid":"bafyreinew","value":{"text":"Hello"}})"),
        now()));
    CHECK(p.ref.cid == "bafyreinew");
}

TEST_CASE("bluesky: a 500 then RecordNotFound is retry_safe not_published") {
    auto pub = make_part_publisher(account(), part(1));
    auto f = as_failure(run(
        *pub, response(500, R"({"error":"InternalServerError","message":"boom"})"),
        response(
            400,
            R"({"error":"RecordNotFound","message":"Could not locate record: at://did:plc:abc123/app.bsky.feed.post/3lbq5z2k7xs2a"})")));
    CHECK(f.cls == FailureClass::retry_safe);
    CHECK(f.code == "not_published");
    CHECK_FALSE(f.verify_on_retry);
}

TEST_CASE("bluesky: when the check is lost too the retry must verify, never duplicate") {
    auto pub = make_part_publisher(account(), part(1));
    auto f = as_failure(run(*pub, lost(), lost()));
    CHECK(f.cls == FailureClass::retry_safe);
    CHECK(f.verify_on_retry);
}

TEST_CASE("bluesky: a resumed part reads the record first and creates it only if absent") {
    auto p = part(1);
    p.resume = true;
    auto pub = make_part_publisher(account(), p);
    auto check = as_send(pub->start(now()));
    CHECK(check.request.url == kGetRecordUrl);
    auto create = as_send(pub->feed(
        response(400, R"({"error":"RecordNotFound","message":"Could not locate record"})"), now()));
    CHECK(create.request.url == "http://127.0.0.1:9000/bsky/xrpc/com.atproto.repo.createRecord");
    CHECK(create.request.body.find(R"("rkey":"3lbq5z2k7xs2a")") != std::string::npos);
    CHECK(as_published(pub->feed(response(200, kCreated), now())).remote_id ==
          "at://did:plc:abc123/app.bsky.feed.post/3lbq5z2k7xs2a");
}

TEST_CASE("bluesky: a resumed part that exists is published without a second create") {
    auto p = part(1);
    p.resume = true;
    auto pub = make_part_publisher(account(), p);
    auto r = run(
        *pub,
        response(
            200,
            R"({"uri":"at://did:plc:abc123/app.bsky.feed.post/3lbq5z2k7xs2a","cid":"bafyold","value":{"text":"Hello"}})"));
    CHECK(as_published(r).ref.cid == "bafyold");
}

TEST_CASE("bluesky: a different post at our record key is a conflict, not success") {
    // Failed before this change: whatever record sat at the key was taken as ours.
    auto p = part(1);
    p.resume = true;
    auto pub = make_part_publisher(account(), p);
    auto f = as_failure(run(
        *pub,
        response(
            200,
            R"({"uri":"at://did:plc:abc123/app.bsky.feed.post/3lbq5z2k7xs2a","cid":"bafyother","value":{"text":"Someone else's words"}})")));
    CHECK(f.cls == FailureClass::permanent);
    CHECK(f.code == "record_key_conflict");
    CHECK(f.message ==
          "Bluesky: record key 3lbq5z2k7xs2a already holds a different post (its text differs); "
          "part 1 was not published and growth will not overwrite it");
}

TEST_CASE("bluesky: after a lost create, a record with our text but other reply refs is a conflict") {
    auto pub = make_part_publisher(account(), part(2));
    as_send(pub->start(now()));
    as_send(pub->feed(lost(), now()));
    auto f = as_failure(pub->feed(
        response(
            200,
            R"({"uri":"at://did:plc:abc123/app.bsky.feed.post/3lbq5z2k7xs2a","cid":"bafyx","value":{"text":"2/ more","reply":{"root":{"uri":"at://did:plc:abc123/app.bsky.feed.post/3lbq5z2k7xs22","cid":"bafyroot"},"parent":{"uri":"at://did:plc:abc123/app.bsky.feed.post/3lbq5z2k7xs99","cid":"bafyelse"}}}})"),
        now()));
    CHECK(f.code == "record_key_conflict");
    CHECK(f.message.find("(it replies to another post)") != std::string::npos);
}

TEST_CASE("bluesky: a record with our text and reply refs is ours") {
    auto pub = make_part_publisher(account(), part(2));
    as_send(pub->start(now()));
    as_send(pub->feed(lost(), now()));
    auto p = as_published(pub->feed(
        response(
            200,
            R"({"uri":"at://did:plc:abc123/app.bsky.feed.post/3lbq5z2k7xs2a","cid":"bafyours","value":{"text":"2/ more","reply":{"root":{"uri":"at://did:plc:abc123/app.bsky.feed.post/3lbq5z2k7xs22","cid":"bafyroot"},"parent":{"uri":"at://did:plc:abc123/app.bsky.feed.post/3lbq5z2k7xs23","cid":"bafyparent"}}}})"),
        now()));
    CHECK(p.ref.cid == "bafyours");
}

TEST_CASE("bluesky: a getRecord answer without the record value is checked again next time") {
    auto p = part(1);
    p.resume = true;
    auto pub = make_part_publisher(account(), p);
    auto f = as_failure(run(
        *pub, response(200, R"({"uri":"at://did:plc:abc123/app.bsky.feed.post/3lbq5z2k7xs2a","cid":"bafyold"})")));
    CHECK(f.cls == FailureClass::retry_safe);
    CHECK(f.verify_on_retry);
    CHECK(f.message == "Bluesky getRecord answered HTTP 200 but the record value is missing");
}

TEST_CASE("bluesky: a 200 with no cid is read back with getRecord") {
    auto pub = make_part_publisher(account(), part(1));
    as_send(pub->start(now()));
    auto check = as_send(pub->feed(
        response(200, R"({"uri":"at://did:plc:abc123/app.bsky.feed.post/3lbq5z2k7xs2a"})"), now()));
    CHECK(check.request.url == kGetRecordUrl);
    auto f = as_failure(pub->feed(response(200, "[1,2"), now()));
    CHECK(f.code == "bad_response");
    CHECK(f.message == "Bluesky getRecord answered HTTP 200 but the body is not JSON");
    CHECK(f.verify_on_retry);
}

TEST_CASE("bluesky: 429 is rate_limited until RateLimit-Reset") {
    auto pub = make_part_publisher(account(), part(1));
    auto f = as_failure(
        run(*pub, response(429, R"({"error":"RateLimitExceeded","message":"Rate Limit Exceeded"})",
                           {{"RateLimit-Limit", "5000"},
                            {"RateLimit-Remaining", "0"},
                            {"RateLimit-Reset", "1767272400"},
                            {"RateLimit-Policy", "5000;w=3600"}})));
    CHECK(f.cls == FailureClass::rate_limited);
    CHECK(*f.retry_at == *parse_iso8601("2026-01-01T13:00:00Z"));
}

TEST_CASE("bluesky: an invalid record is a permanent validation error") {
    auto pub = make_part_publisher(account(), part(1));
    auto f = as_failure(run(
        *pub,
        response(
            400,
            R"({"error":"InvalidRequest","message":"Invalid app.bsky.feed.post record: Record/text must not be longer than 300 graphemes"})")));
    CHECK(f.cls == FailureClass::permanent);
    CHECK(f.code == "validation");
    CHECK(f.message ==
          "Bluesky post was refused: InvalidRequest: Invalid app.bsky.feed.post record: "
          "Record/text must not be longer than 300 graphemes (HTTP 400)");
}

TEST_CASE("bluesky: who-am-I is getSession") {
    auto who = make_whoami(account());
    auto send = as_send(who->start(now()));
    CHECK(send.request.url == "http://127.0.0.1:9000/bsky/xrpc/com.atproto.server.getSession");
    CHECK(header(send.request, "Authorization") == "Bearer access-jwt-1");
    auto id = as_identity(
        who->feed(response(200, R"({"handle":"alice.test","did":"did:plc:abc123"})"), now()));
    CHECK(id.id == "did:plc:abc123");
    CHECK(id.username == "alice.test");
}

TEST_CASE("bluesky tid: zero and a round trip of the spec example") {
    using bluesky::make_tid;
    CHECK(make_tid(bluesky::Micros{}, 0) == "2222222222222");
    // 3jzfcijpj2z2a decodes to 1656000000000000 µs... verified by re-encoding its parts.
    std::string_view alphabet = "234567abcdefghijklmnopqrstuvwxyz";
    std::uint64_t v = 0;
    for (char c : std::string_view("3jzfcijpj2z2a")) v = v * 32 + alphabet.find(c);
    auto micros = bluesky::Micros{std::chrono::microseconds{static_cast<std::int64_t>(v >> 10)}};
    CHECK(make_tid(micros, static_cast<std::uint16_t>(v & 1023)) == "3jzfcijpj2z2a");
    CHECK(bluesky::is_tid("3jzfcijpj2z2a"));
    CHECK_FALSE(bluesky::is_tid("kjzfcijpj2z2a"));
    CHECK_FALSE(bluesky::is_tid("3jzfcijpj2z2"));
}

TEST_CASE("bluesky tid: tid_micros reads back the time make_tid encoded") {
    bluesky::Micros t{std::chrono::microseconds{1767268800123456}};
    CHECK(bluesky::tid_micros(bluesky::make_tid(t, 1023)) == 1767268800123456);
    CHECK(bluesky::tid_micros("2222222222222") == 0);
    CHECK(bluesky::tid_micros("not-a-tid") == -1);
}

TEST_CASE("bluesky tid: the clock never repeats") {
    bluesky::TidClock clock(7);
    bluesky::Micros t{std::chrono::microseconds{1767268800000000}};
    auto a = clock.next(t);
    auto b = clock.next(t);
    auto c = clock.next(t - std::chrono::seconds(1));
    CHECK(a < b);
    CHECK(b < c);
    CHECK(bluesky::is_tid(a));
}

TEST_CASE("bluesky: who-am-I refreshes an expired session and checkpoints it") {
    auto who = make_whoami(account());
    as_send(who->start(now()));
    auto refresh = as_send(who->feed(
        response(400, R"({"error":"ExpiredToken","message":"Token has expired"})"), now()));
    CHECK(refresh.request.url ==
          "http://127.0.0.1:9000/bsky/xrpc/com.atproto.server.refreshSession");
    auto again = as_send(who->feed(
        response(
            200,
            R"({"accessJwt":"a4","refreshJwt":"r4","did":"did:plc:abc123","handle":"alice.test"})"),
        now()));
    REQUIRE(again.checkpoint.session.has_value());
    CHECK(header(again.request, "Authorization") == "Bearer a4");
    CHECK(as_identity(
              who->feed(response(200, R"({"handle":"alice.test","did":"did:plc:abc123"})"), now()))
              .id == kDid);
}

TEST_CASE("bluesky: a login answer without refreshJwt is retry_safe bad_response") {
    auto pub = make_part_publisher(account(false), part(1));
    auto f = as_failure(run(*pub, response(200, R"({"accessJwt":"a","did":"did:plc:abc123"})")));
    CHECK(f.cls == FailureClass::retry_safe);
    CHECK(f.message == "Bluesky login answered HTTP 200 but refreshJwt is missing or not a string");
}

TEST_CASE("bluesky: a mention by handle is resolved to a DID before the record is created") {
    auto p = part(1);
    p.text = "hi @bob.test and @ghost.test";
    p.facets = {{Facet::Kind::mention, 3, 12, "bob.test"},
                {Facet::Kind::mention, 17, 28, "ghost.test"}};
    auto pub = make_part_publisher(account(), p);
    auto r1 = as_send(pub->start(now()));
    CHECK(r1.request.method == "GET");
    CHECK(r1.request.url ==
          "http://127.0.0.1:9000/bsky/xrpc/com.atproto.identity.resolveHandle?handle=bob.test");
    auto r2 = as_send(pub->feed(response(200, R"({"did":"did:plc:bob"})"), now()));
    CHECK(r2.request.url ==
          "http://127.0.0.1:9000/bsky/xrpc/com.atproto.identity.resolveHandle?handle=ghost.test");
    // An unknown handle stays plain text.
    auto create = as_send(pub->feed(
        response(400, R"({"error":"InvalidRequest","message":"Unable to resolve handle"})"),
        now()));
    CHECK(
        create.request.body ==
        R"({"repo":"did:plc:abc123","collection":"app.bsky.feed.post","rkey":"3lbq5z2k7xs2a","record":{"$type":"app.bsky.feed.post","text":"hi @bob.test and @ghost.test","createdAt":"2026-01-01T12:00:00.000Z","facets":[{"index":{"byteStart":3,"byteEnd":12},"features":[{"$type":"app.bsky.richtext.facet#mention","did":"did:plc:bob"}]}]}})");
}

TEST_CASE("bluesky: a failed mention lookup is retry_safe (nothing was posted)") {
    auto p = part(1);
    p.text = "hi @bob.test";
    p.facets = {{Facet::Kind::mention, 3, 12, "bob.test"}};
    auto pub = make_part_publisher(account(), p);
    auto f = as_failure(run(*pub, response(502, "")));
    CHECK(f.cls == FailureClass::retry_safe);
    CHECK_FALSE(f.verify_on_retry);
}
