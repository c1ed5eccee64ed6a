#include <doctest/doctest.h>

#include "core/publish/threads.hpp"
#include "publish_test_util.hpp"

using namespace growth::publish;
using namespace growth::publish::test;

namespace {

Account account() {
    Account a;
    a.platform = Platform::threads;
    a.api_base = "http://127.0.0.1:9000/threads/v1.0";
    a.user_id = "2600000001";
    a.access_token = "th-secret";
    return a;
}

Part part(int index) {
    Part p;
    p.index = index;
    p.text = index == 1 ? "Hello" : "2/ more";
    if (index > 1) {
        p.root = PartRef{"18000000000000001", "", ""};
        p.parent = PartRef{"18000000000000002", "", ""};
    }
    return p;
}

const char* kBase = "http://127.0.0.1:9000/threads/v1.0";

}  // namespace

TEST_CASE("threads: a part is a TEXT container, threads_publish, then permalink") {
    auto pub = make_part_publisher(account(), part(1));
    auto create = as_send(pub->start(now()));
    CHECK(create.request.url == std::string(kBase) + "/2600000001/threads");
    CHECK(create.request.body == "media_type=TEXT&text=Hello&access_token=th-secret");
    auto publish = as_send(pub->feed(response(200, R"({"id":"c1"})"), now()));
    CHECK(publish.request.url == std::string(kBase) + "/2600000001/threads_publish");
    CHECK(publish.request.body == "creation_id=c1&access_token=th-secret");
    CHECK(publish.checkpoint.container_id == std::optional<std::string>("c1"));
    auto permalink = as_send(pub->feed(response(200, R"({"id":"18000000000000001"})"), now()));
    CHECK(permalink.request.url ==
          std::string(kBase) + "/18000000000000001?fields=permalink&access_token=th-secret");
    auto p = as_published(pub->feed(
        response(
            200,
            R"({"permalink":"https://www.threads.net/@dev/post/C1a2b3","id":"18000000000000001"})"),
        now()));
    CHECK(p.remote_id == "18000000000000001");
    CHECK(p.url == "https://www.threads.net/@dev/post/C1a2b3");
}

TEST_CASE("threads: a reply container carries reply_to_id of the previous part") {
    auto send = as_send(make_part_publisher(account(), part(2))->start(now()));
    CHECK(send.request.body ==
          "media_type=TEXT&text=2%2F%20more&reply_to_id=18000000000000002&access_token=th-secret");
}

TEST_CASE("threads: without a user id the account path is me") {
    auto a = account();
    a.user_id.clear();
    auto send = as_send(make_part_publisher(a, part(1))->start(now()));
    CHECK(send.request.url == std::string(kBase) + "/me/threads");
}

TEST_CASE("threads: a media URL makes an IMAGE container") {
    auto p = part(1);
    p.media_url = "https://cdn.example/a.jpg";
    auto send = as_send(make_part_publisher(account(), p)->start(now()));
    CHECK(send.request.body ==
          "media_type=IMAGE&image_url=https%3A%2F%2Fcdn.example%2Fa.jpg&text=Hello&access_token=th-"
          "secret");
}

TEST_CASE("threads: a lost publish whose container is PUBLISHED is found by text") {
    auto pub = make_part_publisher(account(), part(1));
    as_send(pub->start(now()));
    as_send(pub->feed(response(200, R"({"id":"c1"})"), now()));
    auto status = as_send(pub->feed(lost(), now()));
    CHECK(status.request.url ==
          std::string(kBase) + "/c1?fields=status%2Cerror_message&access_token=th-secret");
    auto list = as_send(pub->feed(response(200, R"({"status":"PUBLISHED","id":"c1"})"), now()));
    CHECK(list.request.url ==
          std::string(kBase) +
              "/2600000001/"
              "threads?fields=id%2Ctext%2Ctimestamp%2Cpermalink&limit=5&access_token=th-secret");
    auto p = as_published(pub->feed(
        response(
            200,
            R"({"data":[{"id":"m1","text":"Hello","permalink":"https://www.threads.net/@dev/post/X"}]})"),
        now()));
    CHECK(p.remote_id == "m1");
}

TEST_CASE("threads: a container ERROR names Meta's error_message") {
    auto p = part(1);
    p.container_id = "c1";
    auto pub = make_part_publisher(account(), p);
    auto f = as_failure(run(
        *pub, response(200, R"({"status":"ERROR","error_message":"FAILED_DOWNLOADING_VIDEO"})")));
    CHECK(f.message == "Threads container ended in status ERROR: FAILED_DOWNLOADING_VIDEO");
}

TEST_CASE("threads: publishing past the quota is rate limited") {
    auto pub = make_part_publisher(account(), part(1));
    auto f = as_failure(run(
        *pub, response(200, R"({"id":"c1"})"),
        response(
            400,
            R"({"error":{"message":"Application request limit reached","type":"OAuthException","code":4}})",
            {{"X-App-Usage", R"({"call_count":100,"total_cputime":20,"total_time":30})"}})));
    CHECK(f.cls == FailureClass::rate_limited);
    CHECK(*f.retry_at == now() + std::chrono::hours(1));
}

TEST_CASE("threads: an expired token needs a new login and the token is not shown") {
    auto pub = make_part_publisher(account(), part(1));
    auto f = as_failure(run(
        *pub,
        response(
            401,
            R"({"error":{"message":"Invalid OAuth access token th-secret","type":"OAuthException","code":190}})")));
    CHECK(f.cls == FailureClass::needs_login);
    CHECK(f.message.find("th-secret") == std::string::npos);
}

TEST_CASE("threads: a publish repeatedly lost with a FINISHED container hands back retry_safe") {
    auto pub = make_part_publisher(account(), part(1));
    const char* finished = R"({"status":"FINISHED"})";
    auto f = as_failure(run(*pub, response(200, R"({"id":"c1"})"), lost(), response(200, finished),
                            lost(), response(200, finished)));
    CHECK(f.cls == FailureClass::retry_safe);
    CHECK(f.code == "publish_unconfirmed");
    CHECK(f.verify_on_retry);
}

TEST_CASE("threads: who-am-I is GET /me?fields=id,username") {
    auto a = account();
    a.user_id.clear();
    auto who = make_whoami(a);
    auto send = as_send(who->start(now()));
    CHECK(send.request.url ==
          std::string(kBase) + "/me?fields=id%2Cusername&access_token=th-secret");
}

TEST_CASE("threads: a PUBLISHED container whose post is not among recent threads is ambiguous") {
    auto p = part(1);
    p.container_id = "c1";
    p.resume = true;
    auto pub = make_part_publisher(account(), p);
    auto f = as_failure(run(*pub, response(200, R"({"status":"PUBLISHED"})"),
                            response(200, R"({"data":[{"id":"m0","text":"something else"}]})")));
    CHECK(f.cls == FailureClass::ambiguous);
    CHECK(f.message ==
          "Threads container c1 was published, but the post was not found among the 5 most recent; "
          "check the account and resolve");
}

TEST_CASE("threads: a reply without a parent is bad input") {
    auto p = part(2);
    p.parent.reset();
    CHECK(as_failure(make_part_publisher(account(), p)->start(now())).message ==
          "Threads: part 2 has no parent reference");
}

TEST_CASE("threads: a published reply is looked up among its parent's replies") {
    // 12b: failed before this change (the lookup read /{user}/threads, which lists no replies).
    auto p = part(2);
    p.container_id = "c2";
    auto pub = make_part_publisher(account(), p);
    as_send(pub->start(now()));
    auto list = as_send(pub->feed(response(200, R"({"status":"PUBLISHED","id":"c2"})"), now()));
    CHECK(list.request.url ==
          std::string(kBase) +
              "/18000000000000002/"
              "replies?fields=id%2Ctext%2Ctimestamp%2Cpermalink&limit=25&access_token=th-secret");
    auto found = as_published(pub->feed(
        response(200, R"({"data":[{"id":"m7","text":"someone else"},{"id":"m8","text":"2/ more","permalink":"https://www.threads.net/@dev/post/Y"}]})"),
        now()));
    CHECK(found.remote_id == "m8");
    CHECK(found.url == "https://www.threads.net/@dev/post/Y");
}

TEST_CASE("threads: a published reply missing from its parent's replies is ambiguous") {
    auto p = part(2);
    p.container_id = "c2";
    auto pub = make_part_publisher(account(), p);
    auto f = as_failure(run(*pub, response(200, R"({"status":"PUBLISHED"})"),
                            response(200, R"({"data":[]})")));
    CHECK(f.cls == FailureClass::ambiguous);
    CHECK(f.message ==
          "Threads container c2 was published, but the post was not found among the 25 latest "
          "replies to 18000000000000002; check the account and resolve");
}

TEST_CASE("threads: a transient error on threads_publish checks the container instead") {
    auto pub = make_part_publisher(account(), part(1));
    as_send(pub->start(now()));
    as_send(pub->feed(response(200, R"({"id":"c1"})"), now()));
    auto status = as_send(pub->feed(
        response(400, R"({"error":{"message":"Please retry","code":2,"is_transient":true}})"), now()));
    CHECK(status.request.url ==
          std::string(kBase) + "/c1?fields=status%2Cerror_message&access_token=th-secret");
}
