// Platform answers the transport refused past a bound (too large, too deep), and deep answers that
// reach a publisher directly: each is a classified Failure, never a crash. A read is safe to retry;
// a create that may have been applied is ambiguous unless the platform deduplicates it.
#include <doctest/doctest.h>

#include <string>

#include "core/publish/failure.hpp"
#include "core/publish/mastodon.hpp"
#include "core/publish/x.hpp"
#include "publish_test_util.hpp"

using namespace growth::publish;
using namespace growth::publish::test;
namespace http = growth::http;

namespace {

http::Outcome refused() {
    return http::NoResponse{http::NoResponseKind::answer_refused,
                            "larger than 8388608 bytes, limits.max_response_bytes"};
}

std::string deep(int depth) { return std::string(depth, '[') + std::string(depth, ']'); }

Account mastodon_account() {
    Account a;
    a.platform = Platform::mastodon;
    a.api_base = "http://127.0.0.1:9000/mastodon";
    a.access_token = "mastodon-secret";
    return a;
}

Account x_account() {
    Account a;
    a.platform = Platform::x;
    a.api_base = "http://127.0.0.1:9000/x";
    a.username = "growthdev";
    a.access_token = "x-secret-token";
    return a;
}

Part part() {
    Part p;
    p.index = 1;
    p.text = "Hello";
    p.idempotency_key = "3f1c2b9e-7d1a-4c55-9e1f-0a2b3c4d5e6f";
    return p;
}

}  // namespace

TEST_CASE("answer bounds: a refused answer to an idempotent request is retry_safe, checked first") {
    const auto f = no_response_failure(
        std::get<http::NoResponse>(refused()), true, "Mastodon post");
    CHECK(f.cls == FailureClass::retry_safe);
    CHECK(f.code == "answer_refused");
    CHECK(f.verify_on_retry);
    CHECK(f.message ==
          "Mastodon post's answer was refused (larger than 8388608 bytes, "
          "limits.max_response_bytes); a retry is idempotent");
}

TEST_CASE("answer bounds: a refused answer to a create is ambiguous, as a lost one") {
    const auto f = no_response_failure(std::get<http::NoResponse>(refused()), false, "X post");
    CHECK(f.cls == FailureClass::ambiguous);
    CHECK(f.code == "answer_refused");
    CHECK_FALSE(f.verify_on_retry);
    CHECK(f.message ==
          "X post's answer was refused (larger than 8388608 bytes, limits.max_response_bytes); "
          "it may or may not have been published");
}

TEST_CASE("answer bounds: Mastodon's post with a refused answer resends with its key later") {
    auto pub = make_part_publisher(mastodon_account(), part());
    const auto f = as_failure(run(*pub, refused()));
    CHECK(f.cls == FailureClass::retry_safe);
    CHECK(f.code == "answer_refused");
    CHECK(f.verify_on_retry);
}

TEST_CASE("answer bounds: X's post with a refused answer is read back, never resent blindly") {
    auto pub = make_part_publisher(x_account(), part());
    // The read-back's account lookup fails: growth cannot tell, so the part is unknown.
    const auto f = as_failure(run(*pub, refused(), response(401, "{}")));
    CHECK(f.cls == FailureClass::ambiguous);
}

TEST_CASE("answer bounds: a who-am-I read with a refused answer is safe to retry") {
    auto who = make_whoami(mastodon_account());
    const auto f = as_failure(run(*who, refused()));
    CHECK(f.cls == FailureClass::retry_safe);
    CHECK(f.code == "answer_refused");
    CHECK(f.message ==
          "Mastodon who-am-I's answer was refused (larger than 8388608 bytes, "
          "limits.max_response_bytes); a retry is idempotent");
}

TEST_CASE("answer bounds: a 100,000-deep 2xx answer is a classified bad response, not a crash") {
    auto m = make_part_publisher(mastodon_account(), part());
    const auto fm = as_failure(run(*m, response(200, deep(100'000))));
    CHECK(fm.cls == FailureClass::retry_safe);
    CHECK(fm.code == "bad_response");
    CHECK(fm.verify_on_retry);

    auto x = make_part_publisher(x_account(), part());
    const auto fx = as_failure(run(*x, response(201, deep(100'000)), response(401, "{}")));
    CHECK(fx.cls == FailureClass::ambiguous);
}

TEST_CASE("answer bounds: a 100,000-deep error answer is still classified by its status") {
    auto x = make_part_publisher(x_account(), part());
    const auto f = as_failure(run(*x, response(429, deep(100'000))));
    CHECK(f.cls == FailureClass::rate_limited);
}
