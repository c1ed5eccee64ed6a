#include <doctest/doctest.h>

#include "core/publish/instagram.hpp"
#include "publish_test_util.hpp"

using namespace growth::publish;
using namespace growth::publish::test;

namespace {

Account account() {
    Account a;
    a.platform = Platform::instagram;
    a.api_base = "http://127.0.0.1:9000/graph/v25.0";
    a.user_id = "17841400000000000";
    a.access_token = "ig-secret";
    return a;
}

Part part(int index) {
    Part p;
    p.index = index;
    p.text = index == 1 ? "Caption here" : "2/ comment";
    if (index == 1) p.media_url = "https://cdn.example/a.jpg";
    if (index > 1) {
        p.root = PartRef{"17900000000000001", "", "https://www.instagram.com/p/ABC123/"};
        p.parent = p.root;
    }
    return p;
}

const char* kBase = "http://127.0.0.1:9000/graph/v25.0";

}  // namespace

TEST_CASE("instagram: part 1 needs a media URL") {
    auto p = part(1);
    p.media_url.clear();
    auto f = as_failure(make_part_publisher(account(), p)->start(now()));
    CHECK(f.code == "bad_input");
    CHECK(f.message ==
          "Instagram: part 1 needs a public image URL (Instagram has no text-only posts)");
}

TEST_CASE(
    "instagram: container, then media_publish with the container checkpointed, then permalink") {
    auto pub = make_part_publisher(account(), part(1));
    auto create = as_send(pub->start(now()));
    CHECK(create.request.method == "POST");
    CHECK(create.request.url == std::string(kBase) + "/17841400000000000/media");
    CHECK(create.request.body ==
          "image_url=https%3A%2F%2Fcdn.example%2Fa.jpg&caption=Caption%20here&access_token=ig-"
          "secret");
    CHECK(create.checkpoint.empty());

    auto publish = as_send(pub->feed(response(200, R"({"id":"17889455560051444"})"), now()));
    CHECK(publish.checkpoint.container_id == std::optional<std::string>("17889455560051444"));
    CHECK(publish.request.url == std::string(kBase) + "/17841400000000000/media_publish");
    CHECK(publish.request.body == "creation_id=17889455560051444&access_token=ig-secret");

    auto permalink = as_send(pub->feed(response(200, R"({"id":"17900000000000001"})"), now()));
    CHECK(permalink.request.method == "GET");
    CHECK(permalink.request.url ==
          std::string(kBase) + "/17900000000000001?fields=permalink&access_token=ig-secret");

    auto p = as_published(pub->feed(
        response(200,
                 R"({"permalink":"https://www.instagram.com/p/ABC123/","id":"17900000000000001"})"),
        now()));
    CHECK(p.remote_id == "17900000000000001");
    CHECK(p.url == "https://www.instagram.com/p/ABC123/");
}

TEST_CASE("instagram: a failed permalink lookup still reports the post as published") {
    auto pub = make_part_publisher(account(), part(1));
    auto p = as_published(
        run(*pub, response(200, R"({"id":"c1"})"), response(200, R"({"id":"m1"})"), lost()));
    CHECK(p.remote_id == "m1");
    CHECK(p.url == "");
}

TEST_CASE("instagram: later parts are comments on the post and share its URL") {
    auto pub = make_part_publisher(account(), part(2));
    auto send = as_send(pub->start(now()));
    CHECK(send.request.url == std::string(kBase) + "/17900000000000001/comments");
    CHECK(send.request.body == "message=2%2F%20comment&access_token=ig-secret");
    auto p = as_published(pub->feed(response(200, R"({"id":"17858893269000001"})"), now()));
    CHECK(p.remote_id == "17858893269000001");
    CHECK(p.url == "https://www.instagram.com/p/ABC123/");
}

TEST_CASE("instagram: a lost media_publish is resolved from the container status") {
    auto pub = make_part_publisher(account(), part(1));
    as_send(pub->start(now()));
    as_send(pub->feed(response(200, R"({"id":"c1"})"), now()));
    auto status = as_send(pub->feed(lost(), now()));
    CHECK(status.request.url ==
          std::string(kBase) + "/c1?fields=status_code&access_token=ig-secret");
    // FINISHED: never published, so publishing again is safe.
    auto again =
        as_send(pub->feed(response(200, R"({"status_code":"FINISHED","id":"c1"})"), now()));
    CHECK(again.request.body == "creation_id=c1&access_token=ig-secret");
}

TEST_CASE("instagram: a PUBLISHED container is matched in recent media by caption") {
    auto pub = make_part_publisher(account(), part(1));
    as_send(pub->start(now()));
    as_send(pub->feed(response(200, R"({"id":"c1"})"), now()));
    as_send(pub->feed(response(502, ""), now()));
    auto list =
        as_send(pub->feed(response(200, R"({"status_code":"PUBLISHED","id":"c1"})"), now()));
    CHECK(list.request.url ==
          std::string(kBase) +
              "/17841400000000000/"
              "media?fields=id%2Ccaption%2Ctimestamp%2Cpermalink&limit=5&access_token=ig-secret");
    auto p = as_published(pub->feed(
        response(
            200,
            R"({"data":[{"id":"m0","caption":"older"},{"id":"m1","caption":"Caption here","permalink":"https://www.instagram.com/p/XYZ/"}]})"),
        now()));
    CHECK(p.remote_id == "m1");
    CHECK(p.url == "https://www.instagram.com/p/XYZ/");
}

TEST_CASE("instagram: a PUBLISHED container not found in recent media is ambiguous") {
    auto pub = make_part_publisher(account(), part(1));
    auto f = as_failure(run(*pub, response(200, R"({"id":"c1"})"), lost(),
                            response(200, R"({"status_code":"PUBLISHED"})"),
                            response(200, R"({"data":[]})")));
    CHECK(f.cls == FailureClass::ambiguous);
    CHECK(f.code == "published_id_unknown");
}

TEST_CASE("instagram: a resumed part with a committed container checks it first") {
    auto p = part(1);
    p.resume = true;
    p.container_id = "c9";
    auto pub = make_part_publisher(account(), p);
    auto status = as_send(pub->start(now()));
    CHECK(status.request.url ==
          std::string(kBase) + "/c9?fields=status_code&access_token=ig-secret");
    auto f = as_failure(pub->feed(response(200, R"({"status_code":"IN_PROGRESS"})"), now()));
    CHECK(f.cls == FailureClass::retry_safe);
    CHECK(f.code == "container_in_progress");
    CHECK(*f.retry_at == now() + std::chrono::minutes(1));
    CHECK(f.verify_on_retry);
}

TEST_CASE("instagram: an EXPIRED container is recreated") {
    auto p = part(1);
    p.container_id = "c9";
    auto pub = make_part_publisher(account(), p);
    as_send(pub->start(now()));
    auto create = as_send(pub->feed(response(200, R"({"status_code":"EXPIRED"})"), now()));
    CHECK(create.request.url == std::string(kBase) + "/17841400000000000/media");
}

TEST_CASE("instagram: an ERROR container is a permanent media error") {
    auto p = part(1);
    p.container_id = "c9";
    auto pub = make_part_publisher(account(), p);
    auto f = as_failure(run(*pub, response(200, R"({"status_code":"ERROR"})")));
    CHECK(f.cls == FailureClass::permanent);
    CHECK(f.code == "media_error");
    CHECK(f.message == "Instagram container ended in status ERROR");
}

TEST_CASE("instagram: a failed container creation is retry_safe (nothing visible)") {
    auto pub = make_part_publisher(account(), part(1));
    auto f = as_failure(run(*pub, response(503, "")));
    CHECK(f.cls == FailureClass::retry_safe);
    auto pub2 = make_part_publisher(account(), part(1));
    CHECK(as_failure(run(*pub2, lost())).cls == FailureClass::retry_safe);
}

TEST_CASE("instagram: a media fetch error at container creation is permanent with Meta's message") {
    auto pub = make_part_publisher(account(), part(1));
    auto f = as_failure(run(
        *pub,
        response(
            400,
            R"({"error":{"message":"Only photo or video can be accepted as media type.","type":"OAuthException","code":9004,"error_subcode":2207052}})")));
    CHECK(f.cls == FailureClass::permanent);
    CHECK(f.code == "graph_error_9004");
    CHECK(f.message ==
          "Instagram container was refused: Only photo or video can be accepted as media type. "
          "(code 9004, subcode 2207052, HTTP 400)");
}

TEST_CASE("instagram: a container status of the wrong type is retry_safe and rechecks") {
    auto p = part(1);
    p.container_id = "c9";
    auto pub = make_part_publisher(account(), p);
    auto f = as_failure(run(*pub, response(200, R"({"status_code":7})")));
    CHECK(f.cls == FailureClass::retry_safe);
    CHECK(f.verify_on_retry);
    CHECK(
        f.message ==
        "Instagram container status answered HTTP 200 but status_code is missing or not a string");
}

TEST_CASE("instagram: who-am-I reads the IG user") {
    auto who = make_whoami(account());
    auto send = as_send(who->start(now()));
    CHECK(send.request.url ==
          std::string(kBase) + "/17841400000000000?fields=id%2Cusername&access_token=ig-secret");
    CHECK(
        as_identity(
            who->feed(response(200, R"({"id":"17841400000000000","username":"growthdev"})"), now()))
            .username == "growthdev");
}

TEST_CASE("instagram: publishing an unfinished container (9007) is retry_safe in a minute") {
    auto pub = make_part_publisher(account(), part(1));
    auto f = as_failure(run(
        *pub, response(200, R"({"id":"c1"})"),
        response(
            400,
            R"({"error":{"message":"Media ID is not available","type":"OAuthException","code":9007,"error_subcode":2207027}})")));
    CHECK(f.cls == FailureClass::retry_safe);
    CHECK(f.code == "container_not_ready");
    CHECK(*f.retry_at == now() + std::chrono::minutes(1));
    CHECK(f.verify_on_retry);
}

TEST_CASE("instagram: a lost comment is ambiguous") {
    auto pub = make_part_publisher(account(), part(2));
    CHECK(as_failure(run(*pub, lost())).cls == FailureClass::ambiguous);
}

TEST_CASE(
    "instagram: a status check refused with a Graph error leaves the container's fate unknown") {
    auto p = part(1);
    p.container_id = "c9";
    auto pub = make_part_publisher(account(), p);
    auto f = as_failure(run(
        *pub,
        response(
            400,
            R"({"error":{"message":"Unsupported get request","type":"GraphMethodException","code":100}})")));
    CHECK(f.cls == FailureClass::ambiguous);
    CHECK(f.message ==
          "Instagram container status check was refused: Unsupported get request (code 100, HTTP "
          "400); whether container c9 was published is unknown");
}

TEST_CASE("instagram: an expired token at container creation needs a new login") {
    auto pub = make_part_publisher(account(), part(1));
    auto f = as_failure(run(
        *pub,
        response(
            400,
            R"({"error":{"message":"Error validating access token","type":"OAuthException","code":190,"error_subcode":463}})")));
    CHECK(f.cls == FailureClass::needs_login);
    CHECK(f.code == "token_expired");
}

TEST_CASE("instagram: code 4 with a BUC header is rate limited until access is regained") {
    auto pub = make_part_publisher(account(), part(1));
    auto f = as_failure(run(
        *pub,
        response(
            400,
            R"({"error":{"message":"Application request limit reached","type":"OAuthException","code":4,"is_transient":true}})",
            {{"X-Business-Use-Case-Usage",
              R"({"17841400000000000":[{"type":"instagram","call_count":100,"estimated_time_to_regain_access":30}]})"}})));
    CHECK(f.cls == FailureClass::rate_limited);
    CHECK(*f.retry_at == now() + std::chrono::minutes(30));
}

TEST_CASE("instagram: a transient error on a comment is ambiguous, never re-sent") {
    // 12a: failed before this change (is_transient on a create was retry_safe).
    auto pub = make_part_publisher(account(), part(2));
    auto f = as_failure(run(
        *pub, response(400, R"({"error":{"message":"Please retry","code":2,"is_transient":true}})")));
    CHECK(f.cls == FailureClass::ambiguous);
    CHECK(f.code == "transient");
    CHECK(f.message ==
          "Instagram comment failed temporarily and may or may not have been published: Please "
          "retry (code 2, HTTP 400)");
}

TEST_CASE("instagram: a transient error creating a container stays retry_safe (nothing visible)") {
    auto pub = make_part_publisher(account(), part(1));
    auto f = as_failure(run(
        *pub, response(400, R"({"error":{"message":"Please retry","code":2,"is_transient":true}})")));
    CHECK(f.cls == FailureClass::retry_safe);
}
