// account.test and the daemon's bounds: each of its requests names its account for the
// per-account transfer limit, and an exchange whose client has gone sends nothing more.

#include <doctest/doctest.h>

#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/rpc/deferred.hpp"
#include "core/rpc/dispatcher.hpp"
#include "daemon/account_methods.hpp"
#include "secrets_test_support.hpp"
#include "held_transport.hpp"

using growth::rpc::CallContext;
using growth::rpc::Dispatcher;
using growth::rpc::Json;
using growth::rpc::MethodTable;

namespace {

using growth::test::HeldTransport;

// A connection's sink that can close.
struct Sink final : growth::rpc::LateReplySink {
    std::vector<std::string> lines;
    bool closed = false;
    void owed() noexcept override {}
    bool gone() const noexcept override { return closed; }
    void settle(std::optional<Json> response) override {
        if (response && !closed) lines.push_back(response->dump());
    }
};

struct Fixture {
    growth::test::SecretsTempDir tmp;
    growth::Store store{tmp.path / "growth.db"};
    growth::test::MemorySecrets secrets;
    HeldTransport transport;
    growth::daemon::AccountServices services{store, secrets, transport};
    MethodTable table;
    std::shared_ptr<Sink> sink = std::make_shared<Sink>();

    Fixture() { growth::daemon::add_account_methods(table, services); }

    std::optional<Json> call(const std::string& method, const Json& params) {
        const Dispatcher d(table);
        return d.handle({{"jsonrpc", "2.0"}, {"id", 1}, {"method", method}, {"params", params}},
                        CallContext{1, sink});
    }
};

}  // namespace

TEST_CASE("account.test's request is owned by its account, and reports abandoned once the client left") {
    Fixture f;
    f.call("account.add", {{"no_check", true}, {"platform", "x"}, {"name", "work-x"}, {"token", "t"},
                           {"api_base", "http://127.0.0.1:9/x"}});
    REQUIRE_FALSE(f.call("account.test", {{"name", "work-x"}}));
    REQUIRE(f.transport.held.size() == 1);
    const auto& owner = f.transport.held.front().request.owner;
    CHECK(owner.account == "work-x");
    REQUIRE(owner.abandoned);
    CHECK_FALSE(owner.abandoned());
    f.sink->closed = true;
    CHECK(owner.abandoned());
}

TEST_CASE("account.test whose client has gone stops before its next request") {
    Fixture f;
    f.call("account.add", {{"no_check", true}, {"platform", "bluesky"}, {"name", "bs"}, {"app_password", "pw"},
                           {"handle", "alice.example"}, {"service", "http://127.0.0.1:9/bluesky"}});
    f.sink->lines.clear();  // account.add's answer
    REQUIRE_FALSE(f.call("account.test", {{"name", "bs"}}));
    REQUIRE(f.transport.held.size() == 1);  // createSession
    f.sink->closed = true;
    f.transport.answer(200, R"({"accessJwt":"a1","refreshJwt":"r1","did":"did:plc:abc","handle":"alice.example"})");
    // The session the platform issued is kept; no second request goes out for nobody.
    CHECK(f.secrets.get("bs", "session").has_value());
    CHECK(f.transport.held.empty());
    CHECK(f.sink->lines.empty());
}
