#include <doctest/doctest.h>

#include "core/publish/facebook.hpp"
#include "publish_test_util.hpp"

using namespace growth::publish;
using namespace growth::publish::test;

namespace {

Account account() {
    Account a;
    a.platform = Platform::facebook;
    a.api_base = "http://127.0.0.1:9000/graph/v25.0";
    a.user_id = "1234567890";
    a.access_token = "page-token-secret";
    return a;
}

Part part(int index) {
    Part p;
    p.index = index;
    p.text = index == 1 ? "Hello world" : "2/ more & more";
    if (index > 1) {
        p.root = PartRef{"1234567890_555", "", "https://www.facebook.com/1234567890/posts/555"};
        p.parent = p.root;
    }
    return p;
}

}  // namespace

TEST_CASE("facebook: part 1 is a form POST to /{page-id}/feed") {
    auto send = as_send(make_part_publisher(account(), part(1))->start(now()));
    CHECK(send.request.method == "POST");
    CHECK(send.request.url == "http://127.0.0.1:9000/graph/v25.0/1234567890/feed");
    CHECK(header(send.request, "Content-Type") == "application/x-www-form-urlencoded");
    CHECK(send.request.body == "message=Hello%20world&access_token=page-token-secret");
}

TEST_CASE("facebook: the post id gives the public URL") {
    auto pub = make_part_publisher(account(), part(1));
    auto p = as_published(run(*pub, response(200, R"({"id":"1234567890_555"})")));
    CHECK(p.remote_id == "1234567890_555");
    CHECK(p.url == "https://www.facebook.com/1234567890/posts/555");
}

TEST_CASE("facebook: later parts are comments on the first post") {
    auto pub = make_part_publisher(account(), part(2));
    auto send = as_send(pub->start(now()));
    CHECK(send.request.url == "http://127.0.0.1:9000/graph/v25.0/1234567890_555/comments");
    CHECK(send.request.body == "message=2%2F%20more%20%26%20more&access_token=page-token-secret");
    auto p = as_published(pub->feed(response(200, R"({"id":"555_777"})"), now()));
    CHECK(p.remote_id == "555_777");
    CHECK(p.url == "https://www.facebook.com/1234567890/posts/555?comment_id=777");
}

TEST_CASE("facebook: with a media URL part 1 is a /photos post and post_id is the reference") {
    auto part1 = part(1);
    part1.media_url = "https://cdn.example/a.jpg";
    auto pub = make_part_publisher(account(), part1);
    auto send = as_send(pub->start(now()));
    CHECK(send.request.url == "http://127.0.0.1:9000/graph/v25.0/1234567890/photos");
    CHECK(send.request.body ==
          "url=https%3A%2F%2Fcdn.example%2Fa.jpg&caption=Hello%20world&access_token=page-token-"
          "secret");
    auto p =
        as_published(pub->feed(response(200, R"({"id":"999","post_id":"1234567890_556"})"), now()));
    CHECK(p.remote_id == "1234567890_556");
}

TEST_CASE("facebook: error 190 needs a new login") {
    auto pub = make_part_publisher(account(), part(1));
    auto f = as_failure(run(
        *pub,
        response(
            400,
            R"({"error":{"message":"Error validating access token: Session has expired","type":"OAuthException","code":190,"error_subcode":463,"fbtrace_id":"EJplcsCHuLu"}})")));
    CHECK(f.cls == FailureClass::needs_login);
    CHECK(f.code == "token_expired");
    CHECK(f.message ==
          "Facebook post needs a new login: Error validating access token: Session has expired "
          "(code 190, subcode 463, HTTP 400)");
}

TEST_CASE("facebook: error 32 is rate_limited with the BUC regain time") {
    auto pub = make_part_publisher(account(), part(1));
    auto f = as_failure(run(
        *pub,
        response(
            400,
            R"({"error":{"message":"Page request limit reached","type":"OAuthException","code":32,"fbtrace_id":"x"}})",
            {{"X-Business-Use-Case-Usage",
              R"({"1234567890":[{"type":"pages","call_count":100,"total_cputime":9,"total_time":12,"estimated_time_to_regain_access":7}]})"}})));
    CHECK(f.cls == FailureClass::rate_limited);
    CHECK(*f.retry_at == now() + std::chrono::minutes(7));
}

TEST_CASE("facebook: error 506 is a permanent duplicate") {
    auto pub = make_part_publisher(account(), part(1));
    auto f = as_failure(run(
        *pub,
        response(
            400,
            R"({"error":{"message":"Duplicate status message","type":"OAuthException","code":506}})")));
    CHECK(f.cls == FailureClass::permanent);
    CHECK(f.code == "duplicate_content");
}

TEST_CASE("facebook: a transient error on a create is read back, never re-sent blindly") {
    // 12a: failed before this change (code 2 / is_transient was retry_safe and re-sent).
    auto pub = make_part_publisher(account(), part(1));
    as_send(pub->start(now()));
    auto list = as_send(pub->feed(
        response(
            400,
            R"({"error":{"message":"An unexpected error has occurred.","type":"OAuthException","code":2,"is_transient":true}})"),
        now()));
    CHECK(list.request.method == "GET");
    CHECK(list.request.url ==
          "http://127.0.0.1:9000/graph/v25.0/1234567890/feed?fields=id%2Cmessage%2Ccreated_time&"
          "since=1767268680&limit=25&access_token=page-token-secret");
    auto p = as_published(pub->feed(
        response(200, R"({"data":[{"id":"1234567890_777","message":"Hello world","created_time":"2026-01-01T12:00:00+0000"}]})"),
        now()));
    CHECK(p.remote_id == "1234567890_777");
}

TEST_CASE("facebook: a transient error on a read is still retry_safe") {
    auto who = make_whoami(account());
    as_send(who->start(now()));
    auto f = as_failure(who->feed(
        response(400, R"({"error":{"message":"Please retry","code":1,"is_transient":true}})"), now()));
    CHECK(f.cls == FailureClass::retry_safe);
    CHECK(f.code == "transient");
}

TEST_CASE("facebook: a lost comment is looked up among the post's comments") {
    auto pub = make_part_publisher(account(), part(2));
    as_send(pub->start(now()));
    auto list = as_send(pub->feed(lost(), now()));
    CHECK(list.request.url ==
          "http://127.0.0.1:9000/graph/v25.0/1234567890_555/comments?fields=id%2Cmessage%2Ccreated_"
          "time%2Cparent&filter=toplevel&order=reverse_chronological&limit=50&access_token=page-"
          "token-secret");
    auto p = as_published(pub->feed(
        response(200, R"({"data":[{"id":"555_901","message":"2/ more & more","parent":{"id":"555_900"}},{"id":"555_902","message":"2/ more & more"}]})"),
        now()));
    // The reply to another comment (555_901) is not ours: ours sits on the post itself.
    CHECK(p.remote_id == "555_902");
    CHECK(p.url == "https://www.facebook.com/1234567890/posts/555?comment_id=902");
}

TEST_CASE("facebook: an absent post in a complete feed is retry_safe with a check") {
    auto pub = make_part_publisher(account(), part(1));
    auto f = as_failure(run(*pub, response(500, R"({"error":{"message":"Please retry","code":1}})"),
                            response(200, R"({"data":[]})")));
    CHECK(f.cls == FailureClass::retry_safe);
    CHECK(f.code == "not_published");
    CHECK(f.verify_on_retry);
    CHECK(f.http_status == 500);
}

TEST_CASE("facebook: a feed with more pages, none older than the attempt, cannot tell") {
    auto pub = make_part_publisher(account(), part(1));
    auto f = as_failure(run(
        *pub, lost(),
        response(200, R"({"data":[{"id":"1234567890_1","message":"x","created_time":"2026-01-01T12:00:00+0000"}],"paging":{"next":"https://graph/next"}})")));
    CHECK(f.cls == FailureClass::ambiguous);
    CHECK(f.code == "unchecked");
    CHECK(f.message ==
          "Facebook post: Facebook post got no response (timeout after 30 s) and reading the "
          "account back could not tell whether part 1 was published (the listing has more pages "
          "than growth reads); check the account and resolve it");
}

TEST_CASE("facebook: a feed with more pages that reaches back past the window is complete") {
    auto pub = make_part_publisher(account(), part(1));
    auto f = as_failure(run(
        *pub, lost(),
        response(200, R"({"data":[{"id":"1234567890_1","message":"x","created_time":"2026-01-01T11:30:00+0000"}],"paging":{"next":"https://graph/next"}})")));
    CHECK(f.code == "not_published");
}

TEST_CASE("facebook: a listing refused for a permission leaves the part unknown") {
    auto pub = make_part_publisher(account(), part(1));
    auto f = as_failure(run(*pub, lost(),
                            response(403, R"({"error":{"message":"(#10) no","code":10}})")));
    CHECK(f.cls == FailureClass::ambiguous);
    CHECK(f.message.find("(the listing failed with HTTP 403, code 10)") != std::string::npos);
}

TEST_CASE("facebook: a missing permission is permanent") {
    auto pub = make_part_publisher(account(), part(1));
    auto f = as_failure(run(
        *pub,
        response(
            403,
            R"({"error":{"message":"(#200) Requires pages_manage_posts","type":"OAuthException","code":200}})")));
    CHECK(f.code == "permission_missing");
}

TEST_CASE("facebook: a 200 whose id has the wrong type is read back") {
    auto pub = make_part_publisher(account(), part(1));
    as_send(pub->start(now()));
    auto list = as_send(pub->feed(response(200, R"({"id":5})"), now()));
    CHECK(list.request.method == "GET");
    auto f = as_failure(pub->feed(response(200, R"({"data":[]})"), now()));
    CHECK(f.message ==
          "Facebook post answered HTTP 200 but id is missing or not a string; growth read the "
          "account back and the post is not there, so it is sent again (after one more check)");
}

TEST_CASE("facebook: a 400 without a Graph body is permanent and says so") {
    auto pub = make_part_publisher(account(), part(1));
    auto f = as_failure(run(*pub, response(400, "nope")));
    CHECK(f.code == "http_400");
    CHECK(f.message == "Facebook post failed: HTTP 400 without a Graph error body");
}

TEST_CASE("facebook: who-am-I is GET /me with the token in the query") {
    auto who = make_whoami(account());
    auto send = as_send(who->start(now()));
    CHECK(send.request.url ==
          "http://127.0.0.1:9000/graph/v25.0/me?fields=id%2Cname&access_token=page-token-secret");
    auto id =
        as_identity(who->feed(response(200, R"({"id":"1234567890","name":"Growth Page"})"), now()));
    CHECK(id.id == "1234567890");
    CHECK(id.name == "Growth Page");
}

TEST_CASE("facebook: a resumed comment is looked up first and sent only when absent") {
    auto p = part(2);
    p.resume = true;
    auto pub = make_part_publisher(account(), p);
    auto list = as_send(pub->start(now()));
    CHECK(list.request.method == "GET");
    auto create = as_send(pub->feed(response(200, R"({"data":[]})"), now()));
    CHECK(create.request.method == "POST");
    CHECK(create.request.url == "http://127.0.0.1:9000/graph/v25.0/1234567890_555/comments");
    CHECK(as_published(pub->feed(response(200, R"({"id":"555_903"})"), now())).remote_id == "555_903");
}

TEST_CASE("facebook: a resumed post refused as a duplicate after the read-back is unknown") {
    auto p = part(1);
    p.resume = true;
    auto pub = make_part_publisher(account(), p);
    auto f = as_failure(run(
        *pub, response(200, R"({"data":[]})"),
        response(400, R"({"error":{"message":"Duplicate status message","type":"OAuthException","code":506}})"),
        response(200, R"({"data":[]})")));
    CHECK(f.cls == FailureClass::ambiguous);
    CHECK(f.code == "duplicate_after_lost");
}

TEST_CASE("facebook: a resumed post refused as a duplicate is read back once more and found") {
    auto p = part(1);
    p.resume = true;
    auto pub = make_part_publisher(account(), p);
    CHECK(as_send(pub->start(now())).request.method == "GET");
    CHECK(as_send(pub->feed(response(200, R"({"data":[]})"), now())).request.method == "POST");
    auto again = as_send(pub->feed(
        response(400, R"({"error":{"message":"Duplicate status message","type":"OAuthException","code":506}})"),
        now()));
    CHECK(again.request.method == "GET");
    const std::string listed = R"({"data":[{"id":"1234567890_777","message":")" + p.text +
                               R"(","created_time":"2026-01-01T12:00:00+0000"}]})";
    CHECK(as_published(pub->feed(response(200, listed), now())).remote_id == "1234567890_777");
}

TEST_CASE("facebook: a reply without the root reference is bad input") {
    auto p = part(2);
    p.root.reset();
    CHECK(as_failure(make_part_publisher(account(), p)->start(now())).message ==
          "Facebook: part 2 has no thread root reference");
}
