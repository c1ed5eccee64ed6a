// The account.* RPC methods through a Dispatcher, with an in-memory secret store and a fake HTTP
// transport: exact results, errors that name the problem, and account.test answering later.

#include <doctest/doctest.h>

#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/rpc/deferred.hpp"
#include "core/rpc/dispatcher.hpp"
#include "core/rpc/message.hpp"
#include "daemon/account_methods.hpp"
#include "secrets_test_support.hpp"
#include "held_transport.hpp"

using growth::rpc::CallContext;
using growth::rpc::Dispatcher;
using growth::rpc::Json;
using growth::rpc::MethodTable;

namespace {

using growth::test::HeldTransport;

struct Sink final : growth::rpc::LateReplySink {
    std::vector<std::string> lines;
    void owed() noexcept override {}
    void settle(std::optional<Json> response) override {
        if (response) lines.push_back(response->dump());
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

    /// The response line if the call was answered before returning (by the dispatcher, or by a
    /// deferred handler that could answer at once), else "<later>".
    std::string call(const std::string& method, const Json& params) {
        const Dispatcher d(table);
        const Json request = {{"jsonrpc", "2.0"}, {"id", 1}, {"method", method}, {"params", params}};
        const std::size_t before = sink->lines.size();
        const auto response = d.handle(request, CallContext{1, sink});
        if (response) return response->dump();
        if (sink->lines.size() > before) {
            std::string line = sink->lines.back();
            sink->lines.pop_back();
            return line;
        }
        return "<later>";
    }
};

}  // namespace

TEST_CASE("account.add answers the stored account and its secret fields, never the secret") {
    Fixture f;
    CHECK(f.call("account.add", {{"no_check", true}, {"platform", "x"}, {"name", "work-x"}, {"token", "sekrit"},
                                 {"api_base", "http://127.0.0.1:9/x/"}}) ==
          R"({"jsonrpc":"2.0","id":1,"result":{"name":"work-x","platform":"x","api_base":"http://127.0.0.1:9/x","settings":{},"secrets":["access_token"]}})");
    CHECK(f.call("account.list", Json::object()) ==
          R"({"jsonrpc":"2.0","id":1,"result":{"accounts":[{"name":"work-x","platform":"x","api_base":"http://127.0.0.1:9/x","settings":{}}]}})");
}

TEST_CASE("account.add errors carry their kind") {
    Fixture f;
    CHECK(f.call("account.add", {{"platform", "x"}, {"name", "w"}}) ==
          R"({"jsonrpc":"2.0","id":1,"error":{"code":-32000,"message":"a x account needs a token: --token-file FILE or --token-stdin","data":{"kind":"bad_input"}}})");
    CHECK(f.call("account.add", {{"platform", "x"}, {"name", "w"}, {"token", "t"}, {"bogus", 1}})
              .find(R"("kind":"invalid_params")") != std::string::npos);
}

TEST_CASE("account.show and account.remove of an unknown account: account_not_found") {
    Fixture f;
    CHECK(f.call("account.show", {{"name", "nope"}}) ==
          R"({"jsonrpc":"2.0","id":1,"error":{"code":-32000,"message":"no account named 'nope'","data":{"kind":"account_not_found"}}})");
    CHECK(f.call("account.remove", {{"name", "nope"}}).find("account_not_found") != std::string::npos);
}

TEST_CASE("account.test answers later with the identity the platform names") {
    Fixture f;
    f.call("account.add", {{"no_check", true}, {"platform", "x"}, {"name", "work-x"}, {"token", "sekrit"},
                           {"api_base", "http://127.0.0.1:9/x"}});
    CHECK(f.call("account.test", {{"name", "work-x"}}) == "<later>");
    REQUIRE(f.transport.held.size() == 1);
    CHECK(f.transport.held.front().request.url == "http://127.0.0.1:9/x/2/users/me");
    CHECK(f.transport.held.front().request.headers.get("Authorization") ==
          std::optional<std::string_view>("Bearer sekrit"));
    CHECK(f.sink->lines.empty());
    f.transport.answer(200, R"({"data":{"id":"42","username":"alice","name":"Alice"}})");
    REQUIRE(f.sink->lines.size() == 1);
    CHECK(f.sink->lines[0] ==
          R"({"jsonrpc":"2.0","id":1,"result":{"name":"work-x","platform":"x","identity":{"id":"42","username":"alice","name":"Alice"}}})");
}

TEST_CASE("account.test: a refused token is needs_auth, without the token in the message") {
    Fixture f;
    f.call("account.add", {{"no_check", true}, {"platform", "x"}, {"name", "work-x"}, {"token", "sekrit"}});
    CHECK(f.call("account.test", {{"name", "work-x"}}) == "<later>");
    f.transport.answer(401, R"({"title":"Unauthorized","detail":"sekrit is expired","status":401})");
    REQUIRE(f.sink->lines.size() == 1);
    const Json reply = Json::parse(f.sink->lines[0]);
    CHECK(reply["error"]["data"]["kind"] == "needs_auth");
    const std::string message = reply["error"]["message"];
    CHECK(message.rfind("account work-x: ", 0) == 0);
    CHECK(message.find("; give it a new token with: growthctl account login x --name work-x (or: growthctl account update work-x --token-file FILE)") !=
          std::string::npos);
    CHECK(message.find("sekrit") == std::string::npos);
}

TEST_CASE("account.test of an unknown account answers at once") {
    Fixture f;
    CHECK(f.call("account.test", {{"name", "nope"}}).find("account_not_found") != std::string::npos);
    CHECK(f.transport.held.empty());
}

TEST_CASE("account.test for Bluesky logs in and keeps the session before using it") {
    Fixture f;
    f.call("account.add", {{"no_check", true}, {"platform", "bluesky"}, {"name", "bs"}, {"app_password", "pw"},
                           {"handle", "alice.example"}, {"service", "http://127.0.0.1:9/bluesky"}});
    CHECK(f.call("account.test", {{"name", "bs"}}) == "<later>");
    REQUIRE(f.transport.held.size() == 1);
    CHECK(f.transport.held.front().request.url ==
          "http://127.0.0.1:9/bluesky/xrpc/com.atproto.server.createSession");
    f.transport.answer(200, R"({"accessJwt":"a1","refreshJwt":"r1","did":"did:plc:abc","handle":"alice.example"})");
    // Whatever the machine does next, the session is in the vault by now.
    CHECK(f.secrets.get("bs", "session").has_value());
    while (!f.transport.held.empty()) {
        f.transport.answer(200, R"({"did":"did:plc:abc","handle":"alice.example"})");
    }
    REQUIRE(f.sink->lines.size() == 1);
    CHECK(Json::parse(f.sink->lines[0])["result"]["identity"]["id"] == "did:plc:abc");
}

TEST_CASE("account.add for LinkedIn without an author asks userinfo, then stores the member URN") {
    Fixture f;
    CHECK(f.call("account.add", {{"platform", "linkedin"}, {"name", "li"}, {"token", "sekrit"},
                                 {"api_base", "http://127.0.0.1:9/linkedin"}}) == "<later>");
    REQUIRE(f.transport.held.size() == 1);
    CHECK(f.transport.held.front().request.url == "http://127.0.0.1:9/linkedin/v2/userinfo");
    CHECK(f.store.db().execAndGet("SELECT count(*) FROM accounts").getInt() == 0);
    f.transport.answer(200, R"({"sub":"AbC-12","name":"Alice"})");
    REQUIRE(f.sink->lines.size() == 1);
    CHECK(f.sink->lines[0] ==
          R"({"jsonrpc":"2.0","id":1,"result":{"name":"li","platform":"linkedin","api_base":"http://127.0.0.1:9/linkedin","settings":{"author":"urn:li:person:AbC-12"},"secrets":["access_token"]}})");
}

TEST_CASE("account.add asks X who the token belongs to before storing, and learns the username") {
    Fixture f;
    CHECK(f.call("account.add", {{"platform", "x"}, {"name", "work-x"}, {"token", "sekrit"},
                                 {"api_base", "http://127.0.0.1:9/x"}}) == "<later>");
    REQUIRE(f.transport.held.size() == 1);
    CHECK(f.transport.held.front().request.url == "http://127.0.0.1:9/x/2/users/me");
    CHECK(f.store.db().execAndGet("SELECT count(*) FROM accounts").getInt() == 0);
    f.transport.answer(200, R"({"data":{"id":"42","username":"alice","name":"Alice"}})");
    REQUIRE(f.sink->lines.size() == 1);
    CHECK(Json::parse(f.sink->lines[0])["result"]["settings"] == Json{{"username", "alice"}});
}

TEST_CASE("account.add: a refused token, or another user's, stores nothing") {
    Fixture f;
    CHECK(f.call("account.add", {{"platform", "x"}, {"name", "work-x"}, {"token", "sekrit"}}) == "<later>");
    f.transport.answer(401, R"({"title":"Unauthorized","type":"about:blank","status":401,"detail":"Unauthorized"})");
    REQUIRE(f.sink->lines.size() == 1);
    Json reply = Json::parse(f.sink->lines[0]);
    CHECK(reply["error"]["data"]["kind"] == "needs_auth");
    CHECK(std::string(reply["error"]["message"]).find("sekrit") == std::string::npos);
    CHECK(std::string(reply["error"]["message"]).rfind("account work-x: the token does not work: ", 0) == 0);
    CHECK(f.call("account.add", {{"platform", "x"}, {"name", "work-x"}, {"token", "sekrit"}, {"username", "bob"}}) ==
          "<later>");
    f.transport.answer(200, R"({"data":{"id":"42","username":"alice","name":"Alice"}})");
    REQUIRE(f.sink->lines.size() == 2);
    reply = Json::parse(f.sink->lines[1]);
    CHECK(reply["error"]["data"]["kind"] == "bad_input");
    CHECK(reply["error"]["message"] == "the token given for account work-x belongs to X user @alice, not @bob (the "
                                       "account's); nothing was stored");
    CHECK(f.store.db().execAndGet("SELECT count(*) FROM accounts").getInt() == 0);
    CHECK(f.secrets.values.empty());
}

TEST_CASE("account.add for LinkedIn: a refused token stores nothing") {
    Fixture f;
    CHECK(f.call("account.add", {{"platform", "linkedin"}, {"name", "li"}, {"token", "sekrit"}}) == "<later>");
    f.transport.answer(401, R"({"serviceErrorCode":65600,"message":"Invalid access token","status":401})");
    REQUIRE(f.sink->lines.size() == 1);
    const Json reply = Json::parse(f.sink->lines[0]);
    CHECK(reply["error"]["data"]["kind"] == "needs_auth");
    CHECK(std::string(reply["error"]["message"]).rfind(
              "cannot find the LinkedIn author for account li (pass --author): ", 0) == 0);
    CHECK(f.store.db().execAndGet("SELECT count(*) FROM accounts").getInt() == 0);
    CHECK(f.secrets.values.empty());
}

TEST_CASE("account.add for LinkedIn: a taken name is refused before any request") {
    Fixture f;
    f.call("account.add", {{"no_check", true}, {"platform", "x"}, {"name", "li"}, {"token", "t"}});
    CHECK(f.call("account.add", {{"platform", "linkedin"}, {"name", "li"}, {"token", "sekrit"}})
              .find("account_exists") != std::string::npos);
    CHECK(f.transport.held.empty());
}

TEST_CASE("account.update checks the new token with who-am-I, then replaces it in place") {
    Fixture f;
    f.call("account.add", {{"no_check", true}, {"platform", "x"}, {"name", "work-x"}, {"token", "old-token"},
                           {"username", "alice"}, {"api_base", "http://127.0.0.1:9/x"}});
    const auto id = f.store.db().execAndGet("SELECT id FROM accounts WHERE name = 'work-x'").getInt64();
    CHECK(f.call("account.update", {{"name", "work-x"}, {"token", "new-token"}}) == "<later>");
    REQUIRE(f.transport.held.size() == 1);
    CHECK(f.transport.held.front().request.url == "http://127.0.0.1:9/x/2/users/me");
    CHECK(f.transport.held.front().request.headers.get("Authorization") ==
          std::optional<std::string_view>("Bearer new-token"));
    // Nothing is stored before the platform has accepted it.
    CHECK(f.secrets.get("work-x", "access_token") == std::optional<std::string>("old-token"));
    f.transport.answer(200, R"({"data":{"id":"42","username":"Alice","name":"Alice A"}})");
    REQUIRE(f.sink->lines.size() == 1);
    CHECK(f.sink->lines[0] ==
          R"({"jsonrpc":"2.0","id":1,"result":{"name":"work-x","platform":"x","api_base":"http://127.0.0.1:9/x","settings":{"username":"alice"},"secrets":["access_token"],"identity":{"id":"42","username":"Alice","name":"Alice A"}}})");
    CHECK(f.secrets.get("work-x", "access_token") == std::optional<std::string>("new-token"));
    CHECK(f.store.db().execAndGet("SELECT id FROM accounts WHERE name = 'work-x'").getInt64() == id);
}

TEST_CASE("account.update: a refused new token changes nothing and says so") {
    Fixture f;
    f.call("account.add", {{"no_check", true}, {"platform", "x"}, {"name", "work-x"}, {"token", "old-token"}});
    CHECK(f.call("account.update", {{"name", "work-x"}, {"token", "bad-token"}}) == "<later>");
    f.transport.answer(401, R"({"title":"Unauthorized","detail":"bad-token is expired","status":401})");
    REQUIRE(f.sink->lines.size() == 1);
    CHECK(f.sink->lines[0] ==
          R"({"jsonrpc":"2.0","id":1,"error":{"code":-32000,"message":"account work-x: the new token does not work: X who-am-I needs a new login: [redacted] is expired (HTTP 401); nothing was changed","data":{"kind":"needs_auth"}}})");
    CHECK(f.secrets.get("work-x", "access_token") == std::optional<std::string>("old-token"));
}

TEST_CASE("account.update: a token of another X user is refused, nothing changed") {
    Fixture f;
    f.call("account.add", {{"no_check", true}, {"platform", "x"}, {"name", "work-x"}, {"token", "old-token"}, {"username", "alice"}});
    CHECK(f.call("account.update", {{"name", "work-x"}, {"token", "bobs-token"}}) == "<later>");
    f.transport.answer(200, R"({"data":{"id":"43","username":"bob","name":"Bob"}})");
    REQUIRE(f.sink->lines.size() == 1);
    CHECK(f.sink->lines[0] ==
          R"({"jsonrpc":"2.0","id":1,"error":{"code":-32000,"message":"the new token of account work-x belongs to X user @bob, not @alice (the account's); nothing was changed","data":{"kind":"bad_input"}}})");
    CHECK(f.secrets.get("work-x", "access_token") == std::optional<std::string>("old-token"));
}

TEST_CASE("account.update: the secret kind the platform does not use is refused before any request") {
    Fixture f;
    f.call("account.add", {{"no_check", true}, {"platform", "x"}, {"name", "work-x"}, {"token", "old-token"}});
    f.call("account.add", {{"no_check", true}, {"platform", "bluesky"}, {"name", "bs"}, {"app_password", "pw"}, {"handle", "alice.example"}});
    CHECK(f.call("account.update", {{"name", "work-x"}, {"app_password", "pw2"}}) ==
          R"({"jsonrpc":"2.0","id":1,"error":{"code":-32000,"message":"--app-password-file applies only to bluesky accounts; account work-x is a x account: use --token-file FILE or --token-stdin","data":{"kind":"bad_input"}}})");
    CHECK(f.call("account.update", {{"name", "bs"}, {"token", "tok"}}) ==
          R"({"jsonrpc":"2.0","id":1,"error":{"code":-32000,"message":"account bs is a bluesky account, which logs in with an app password: use --app-password-file FILE, not a token","data":{"kind":"bad_input"}}})");
    CHECK(f.call("account.update", {{"name", "work-y"}, {"token", "tok"}}) ==
          R"({"jsonrpc":"2.0","id":1,"error":{"code":-32000,"message":"no account named 'work-y'; did you mean 'work-x'?","data":{"kind":"account_not_found"}}})");
    CHECK(f.transport.held.empty());
    CHECK(f.secrets.get("work-x", "access_token") == std::optional<std::string>("old-token"));
    CHECK(f.secrets.get("bs", "app_password") == std::optional<std::string>("pw"));
}

TEST_CASE("account.update for Bluesky logs in with the new app password and keeps that session") {
    Fixture f;
    f.call("account.add", {{"no_check", true}, {"platform", "bluesky"}, {"name", "bs"}, {"app_password", "old-pw"},
                           {"handle", "alice.example"}, {"service", "http://127.0.0.1:9/bluesky"}});
    f.secrets.put("bs", "session", R"({"access_jwt":"stale","refresh_jwt":"stale","did":"did:plc:abc","handle":"alice.example"})");
    CHECK(f.call("account.update", {{"name", "bs"}, {"app_password", "new-pw"}}) == "<later>");
    REQUIRE(f.transport.held.size() == 1);
    CHECK(f.transport.held.front().request.url ==
          "http://127.0.0.1:9/bluesky/xrpc/com.atproto.server.createSession");
    CHECK(f.transport.held.front().request.body.find("new-pw") != std::string::npos);
    f.transport.answer(200, R"({"accessJwt":"a2","refreshJwt":"r2","did":"did:plc:abc","handle":"alice.example"})");
    // Not stored until the identity is known.
    CHECK(f.secrets.get("bs", "app_password") == std::optional<std::string>("old-pw"));
    while (!f.transport.held.empty()) {
        f.transport.answer(200, R"({"did":"did:plc:abc","handle":"alice.example"})");
    }
    REQUIRE(f.sink->lines.size() == 1);
    CHECK(Json::parse(f.sink->lines[0])["result"]["secrets"] == Json::array({"app_password", "session"}));
    CHECK(f.secrets.get("bs", "app_password") == std::optional<std::string>("new-pw"));
    CHECK(Json::parse(*f.secrets.get("bs", "session"))["access_jwt"] == "a2");
}

TEST_CASE("account.update: an account removed while its new token was checked gets no secret") {
    Fixture f;
    f.call("account.add", {{"no_check", true}, {"platform", "x"}, {"name", "work-x"}, {"token", "old-token"}});
    CHECK(f.call("account.update", {{"name", "work-x"}, {"token", "new-token"}}) == "<later>");
    CHECK(f.call("account.remove", {{"name", "work-x"}}).find("removed") != std::string::npos);
    f.transport.answer(200, R"({"data":{"id":"42","username":"alice"}})");
    REQUIRE(f.sink->lines.size() == 1);
    CHECK(f.sink->lines[0] ==
          R"({"jsonrpc":"2.0","id":1,"error":{"code":-32000,"message":"account work-x was removed (or replaced) while its new secret was being checked; nothing was stored","data":{"kind":"account_not_found"}}})");
    CHECK(f.secrets.values.empty());
}
