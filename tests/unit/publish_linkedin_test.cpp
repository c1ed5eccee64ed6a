#include <doctest/doctest.h>

#include "core/publish/linkedin.hpp"
#include "publish_test_util.hpp"

using namespace growth::publish;
using namespace growth::publish::test;

namespace {

Account account(const char* author = "urn:li:person:abc123") {
    Account a;
    a.platform = Platform::linkedin;
    a.api_base = "http://127.0.0.1:9000/linkedin";
    a.user_id = author;
    a.access_token = "li-secret";
    return a;
}

Part part(int index) {
    Part p;
    p.index = index;
    p.text = index == 1 ? "Hello (world) #growth" : "2/ more (text)";
    if (index > 1) {
        p.root = PartRef{"urn:li:share:7012345678901234567", "", ""};
        p.parent = p.root;
    }
    return p;
}

}  // namespace

TEST_CASE("linkedin: part 1 is POST /rest/posts with versioned headers and escaped commentary") {
    auto send = as_send(make_part_publisher(account(), part(1))->start(now()));
    CHECK(send.request.method == "POST");
    CHECK(send.request.url == "http://127.0.0.1:9000/linkedin/rest/posts");
    CHECK(header(send.request, "Authorization") == "Bearer li-secret");
    CHECK(header(send.request, "LinkedIn-Version") == "202606");
    CHECK(header(send.request, "X-Restli-Protocol-Version") == "2.0.0");
    CHECK(header(send.request, "Content-Type") == "application/json");
    CHECK(
        send.request.body ==
        R"({"author":"urn:li:person:abc123","commentary":"Hello \\(world\\) \\#growth","visibility":"PUBLIC","distribution":{"feedDistribution":"MAIN_FEED","targetEntities":[],"thirdPartyDistributionChannels":[]},"lifecycleState":"PUBLISHED","isReshareDisabledByAuthor":false})");
}

TEST_CASE("linkedin: an organization author is accepted") {
    auto send =
        as_send(make_part_publisher(account("urn:li:organization:42"), part(1))->start(now()));
    CHECK(send.request.body.rfind(R"({"author":"urn:li:organization:42",)", 0) == 0);
}

TEST_CASE("linkedin: an author that is not a person or organization URN is bad input") {
    auto f = as_failure(make_part_publisher(account("abc123"), part(1))->start(now()));
    CHECK(f.code == "bad_input");
    CHECK(f.message ==
          "LinkedIn: the account's author must be urn:li:person:{id} or urn:li:organization:{id}");
}

TEST_CASE("linkedin: 201 with x-restli-id yields the URN and feed URL") {
    auto pub = make_part_publisher(account(), part(1));
    auto p = as_published(
        run(*pub, response(201, "", {{"x-restli-id", "urn:li:share:7012345678901234567"}})));
    CHECK(p.remote_id == "urn:li:share:7012345678901234567");
    CHECK(p.url == "https://www.linkedin.com/feed/update/urn:li:share:7012345678901234567/");
}

TEST_CASE("linkedin: later parts are comments on the post via socialActions") {
    auto pub = make_part_publisher(account(), part(2));
    auto send = as_send(pub->start(now()));
    CHECK(send.request.url ==
          "http://127.0.0.1:9000/linkedin/rest/socialActions/"
          "urn%3Ali%3Ashare%3A7012345678901234567/comments");
    CHECK(header(send.request, "LinkedIn-Version") == "202606");
    CHECK(
        send.request.body ==
        R"J({"actor":"urn:li:person:abc123","object":"urn:li:share:7012345678901234567","message":{"text":"2/ more (text)"}})J");
    auto p = as_published(
        pub->feed(response(201, R"J({"id":"urn:li:comment:(urn:li:activity:1,2)"})J"), now()));
    CHECK(p.remote_id == "urn:li:comment:(urn:li:activity:1,2)");
    CHECK(p.url ==
          "https://www.linkedin.com/feed/update/urn:li:share:7012345678901234567/"
          "?commentUrn=urn%3Ali%3Acomment%3A%28urn%3Ali%3Aactivity%3A1%2C2%29");
}

TEST_CASE("linkedin: the v2 comments option drops the version header") {
    auto a = account();
    a.linkedin.v2_comments = true;
    auto send = as_send(make_part_publisher(a, part(2))->start(now()));
    CHECK(send.request.url ==
          "http://127.0.0.1:9000/linkedin/v2/socialActions/urn%3Ali%3Ashare%3A7012345678901234567/"
          "comments");
    CHECK_FALSE(send.request.headers.has("LinkedIn-Version"));
}

const char* kDuplicate =
    R"({"errorDetailType":"com.linkedin.common.error.BadRequest","message":"com.linkedin.content.common.exception.BadRequestResponseException: Content is a duplicate of urn:li:share:7141138937766391808","errorDetails":{"inputErrors":[{"description":"Duplicate post is detected","input":{},"code":"DUPLICATE_POST"}]},"status":422})";

TEST_CASE("linkedin: 422 DUPLICATE_POST is a permanent duplicate") {
    auto pub = make_part_publisher(account(), part(1));
    auto f = as_failure(run(*pub, response(422, kDuplicate)));
    CHECK(f.cls == FailureClass::permanent);
    CHECK(f.code == "duplicate_content");
}

TEST_CASE("linkedin: a resumed post answered DUPLICATE_POST is the original post") {
    auto p = part(1);
    p.resume = true;
    auto pub = make_part_publisher(account(), p);
    // The author's posts cannot be listed without r_member_social: the resend tells instead.
    auto done = as_published(run(*pub, response(403, R"({"status":403,"code":"ACCESS_DENIED"})"),
                                 response(422, kDuplicate)));
    CHECK(done.remote_id == "urn:li:share:7141138937766391808");
}

TEST_CASE("linkedin: a resumed post is looked up among the author's posts first") {
    auto p = part(1);
    p.resume = true;
    auto pub = make_part_publisher(account(), p);
    auto list = as_send(pub->start(now()));
    CHECK(list.request.method == "GET");
    CHECK(list.request.url ==
          "http://127.0.0.1:9000/linkedin/rest/"
          "posts?author=urn%3Ali%3Aperson%3Aabc123&q=author&count=20&sortBy=CREATED");
    CHECK(header(list.request, "X-RestLi-Method") == "FINDER");
    CHECK(header(list.request, "LinkedIn-Version") == "202606");
    auto done = as_published(pub->feed(
        response(200, R"({"paging":{"start":0,"count":20,"links":[]},"elements":[{"id":"urn:li:share:9","commentary":"Hello \\(world\\) \\#growth","createdAt":1767268800000}]})"),
        now()));
    CHECK(done.remote_id == "urn:li:share:9");
    CHECK(done.url == "https://www.linkedin.com/feed/update/urn:li:share:9/");
}

TEST_CASE("linkedin: a lost post absent from the author's posts is retry_safe with a check") {
    auto pub = make_part_publisher(account(), part(1));
    auto f = as_failure(run(*pub, lost(), response(200, R"({"paging":{"start":0,"count":20},"elements":[]})")));
    CHECK(f.cls == FailureClass::retry_safe);
    CHECK(f.code == "not_published");
    CHECK(f.verify_on_retry);
}

TEST_CASE("linkedin: a lost post whose author's posts cannot be read stays unknown") {
    auto pub = make_part_publisher(account(), part(1));
    auto f = as_failure(run(*pub, lost(), response(403, R"({"status":403})")));
    CHECK(f.cls == FailureClass::ambiguous);
    CHECK(f.message ==
          "LinkedIn post: LinkedIn post got no response (timeout after 30 s) and reading the "
          "account back could not tell whether part 1 was published (the token cannot list the "
          "author's posts (HTTP 403; it needs r_member_social)); check the account and resolve it");
}

TEST_CASE("linkedin: a resumed comment is ambiguous without sending") {
    auto p = part(2);
    p.resume = true;
    CHECK(as_failure(make_part_publisher(account(), p)->start(now())).cls ==
          FailureClass::ambiguous);
}

TEST_CASE("linkedin: 401 needs a new login") {
    auto pub = make_part_publisher(account(), part(1));
    auto f = as_failure(run(
        *pub,
        response(
            401,
            R"({"serviceErrorCode":65601,"message":"The token used in the request has been revoked by the user","status":401})")));
    CHECK(f.cls == FailureClass::needs_login);
    CHECK(f.message ==
          "LinkedIn post needs a new login: The token used in the request has been revoked by the "
          "user (HTTP 401)");
}

TEST_CASE("linkedin: 426 names the inactive version") {
    auto pub = make_part_publisher(account(), part(1));
    auto f = as_failure(run(
        *pub,
        response(
            426,
            R"({"status":426,"code":"NONEXISTENT_VERSION","message":"Requested version 20250401 is not active"})")));
    CHECK(f.code == "version_inactive");
    CHECK(f.message ==
          "LinkedIn post was refused (set a current LinkedIn-Version): Requested version 20250401 "
          "is not active (HTTP 426)");
}

TEST_CASE("linkedin: 429 honours Retry-After") {
    auto pub = make_part_publisher(account(), part(1));
    auto f = as_failure(run(*pub, response(429, "", {{"Retry-After", "120"}})));
    CHECK(f.cls == FailureClass::rate_limited);
    CHECK(*f.retry_at == now() + std::chrono::seconds(120));
}

TEST_CASE("linkedin: 429 without headers has no reset instant") {
    auto pub = make_part_publisher(account(), part(1));
    CHECK_FALSE(as_failure(run(*pub, response(429, ""))).retry_at.has_value());
}

TEST_CASE("linkedin: a 201 without any URN is ambiguous") {
    auto pub = make_part_publisher(account(), part(1));
    auto f = as_failure(run(*pub, response(201, ""), response(403, "{}")));
    CHECK(f.cls == FailureClass::ambiguous);
    CHECK(f.code == "unchecked");
    auto c = make_part_publisher(account(), part(2));
    auto g = as_failure(run(*c, response(201, "")));
    CHECK(g.cls == FailureClass::ambiguous);
    CHECK(g.code == "bad_response");
}

TEST_CASE("linkedin: a 403 on comments hints at the v2 endpoint") {
    auto pub = make_part_publisher(account(), part(2));
    auto f = as_failure(run(
        *pub,
        response(
            403,
            R"({"status":403,"message":"Not enough permissions to access: partnerApiSocialActions.CREATE"})")));
    CHECK(f.message ==
          "LinkedIn comment was refused: Not enough permissions to access: "
          "partnerApiSocialActions.CREATE (HTTP 403) (if it names partnerApiSocialActions, enable "
          "the v2 comments endpoint)");
}

TEST_CASE("linkedin: little-text escaping covers every reserved character") {
    CHECK(linkedin::escape_little_text("a|b{c}d@e[f]g(h)i<j>k#l\\m*n_o~p") ==
          "a\\|b\\{c\\}d\\@e\\[f\\]g\\(h\\)i\\<j\\>k\\#l\\\\m\\*n\\_o\\~p");
    CHECK(linkedin::escape_little_text("plain é") == "plain é");
}

TEST_CASE("linkedin: who-am-I is GET /v2/userinfo") {
    auto who = make_whoami(account());
    auto send = as_send(who->start(now()));
    CHECK(send.request.url == "http://127.0.0.1:9000/linkedin/v2/userinfo");
    auto id =
        as_identity(who->feed(response(200, R"({"sub":"abc123","name":"Dev Eloper"})"), now()));
    CHECK(id.id == "abc123");
}

TEST_CASE("linkedin: a refused connection is retry_safe, a 500 after the POST is ambiguous") {
    auto a = make_part_publisher(account(), part(1));
    CHECK(as_failure(run(*a, not_sent())).cls == FailureClass::retry_safe);
    auto b = make_part_publisher(account(), part(1));
    auto f = as_failure(run(*b, response(500, R"({"message":"Internal Server Error","status":500})"),
                            response(403, "{}")));
    CHECK(f.cls == FailureClass::ambiguous);
    CHECK(f.message.rfind(
              "LinkedIn post: LinkedIn post failed with HTTP 500: Internal Server Error; it may or "
              "may not have been published and reading",
              0) == 0);
    auto c = make_part_publisher(account(), part(2));
    auto g = as_failure(run(*c, response(500, R"({"message":"Internal Server Error","status":500})")));
    CHECK(g.message ==
          "LinkedIn comment failed with HTTP 500: Internal Server Error; it may or may not have been "
          "published");
}
