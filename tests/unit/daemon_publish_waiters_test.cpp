// PublishService keeps no waiter for a client that has gone: a post.publish/post.retry with
// wait=true whose connection closed is dropped at the next wait, not kept until the post settles
// (issue 7, defect 5: a flood of waiting calls that disconnect must cost bounded memory).

#include <doctest/doctest.h>

#include <deque>
#include <memory>
#include <optional>
#include <string>

#include "core/accounts/accounts.hpp"
#include "core/accounts/names.hpp"
#include "core/pipeline/plan.hpp"
#include "core/pipeline/post_store.hpp"
#include "core/rpc/deferred.hpp"
#include "daemon/event_loop.hpp"
#include "daemon/publish_service.hpp"
#include "secrets_test_support.hpp"

using namespace growth;

namespace {

// Never answers: the target stays running, so its post never settles during the test.
struct SilentTransport final : http::Transport {
    std::deque<Callback> held;
    void send(http::HttpRequest, Callback done) override { held.push_back(std::move(done)); }
};

// Counts what reaches a connection; `closed` is what the connection reports.
struct Sink final : rpc::LateReplySink {
    int settled = 0;
    bool closed = false;
    void owed() noexcept override {}
    bool gone() const noexcept override { return closed; }
    void settle(std::optional<rpc::Json>) override { ++settled; }
};

std::uint32_t bits() {
    static std::uint32_t n = 0;
    return ++n * 2654435761U;
}

}  // namespace

TEST_CASE("publish service: a waiter whose client has gone is dropped at the next wait, not at settle") {
    test::SecretsTempDir tmp;
    Store store(tmp.path / "growth.db");
    test::MemorySecrets secrets;
    secrets.put("m", accounts::field_access_token, "token");
    store.db().exec("INSERT INTO accounts (name, platform, api_base, created_at, updated_at)"
                    " VALUES ('m', 'mastodon', 'http://127.0.0.1:9/m', 0, 0)");
    daemon::EventLoop loop;
    SilentTransport transport;
    daemon::PublishService service(loop, store, secrets, transport);

    const auto plan = pipeline::plan_post("One part.", {accounts::get(store, "m")}, {});
    const std::string id = pipeline::insert_post(store, plan, 1000, bits);
    for (auto& t : pipeline::load_post(store, id).targets) service.start_target(std::move(t), "");
    for (int i = 0; i < 5 && transport.held.empty(); ++i) loop.run_once(0);
    REQUIRE(service.running() == 1);
    REQUIRE(transport.held.size() == 1);

    auto gone = std::make_shared<Sink>();
    auto live = std::make_shared<Sink>();
    service.when_settled(id, rpc::Responder(rpc::Json(1), true, gone));
    service.when_settled(id, rpc::Responder(rpc::Json(2), true, live));
    CHECK(gone->settled == 0);
    gone->closed = true;
    // The next call that waits drops the waiter nobody reads (its Responder settles to nowhere).
    service.when_settled(id, rpc::Responder(rpc::Json(3), true, live));
    CHECK(gone->settled == 1);
    CHECK(live->settled == 0);  // live waiters stay until the post settles
}
