// The RPC server in-process over socketpair(): greeting, calls, uid check, limits, floods.
#include <doctest/doctest.h>

#include <unistd.h>

#include <vector>

#include "core/error.hpp"
#include "core/rpc/deferred.hpp"
#include "core/rpc/dispatcher.hpp"
#include "daemon/methods.hpp"
#include "daemon/server.hpp"
#include "daemon_test_support.hpp"

using namespace growth;
using growth::rpc::Json;

namespace {

struct FakeControl : daemon::DaemonControl {
    bool stopped = false;
    int reloads = 0;
    Json status() override { return Json{{"version", "9.9.9"}, {"pid", 1}}; }
    Json reload() override {
        ++reloads;
        throw Error("config_invalid", "/x/config.toml:1:1: unknown key 'y'");
    }
    void stop() noexcept override { stopped = true; }
};

struct Fixture {
    daemon::EventLoop loop;
    rpc::MethodTable table;
    FakeControl control;
    rpc::Dispatcher dispatcher{table};
    std::unique_ptr<daemon::Server> server;

    std::uint64_t watcher = 0;  ///< connection that called test.watch
    std::vector<rpc::Responder> later;  ///< test.later calls not yet answered

    explicit Fixture(daemon::ServerOptions options = defaults()) {
        daemon::add_daemon_methods(table, control);
        table.add({"test.watch", "Remembers the caller for pushes.", {}, false},
                  [this](const Json&, const rpc::CallContext& context) {
                      watcher = context.connection_id;
                      return Json{{"watching", true}};
                  });
        table.add_deferred({"test.later", "Answers when the test says.", {}, false},
                           [this](const Json&, const rpc::CallContext&, rpc::Responder reply) {
                               later.push_back(std::move(reply));
                           });
        server = std::make_unique<daemon::Server>(loop, dispatcher, options);
    }
    static daemon::ServerOptions defaults() {
        daemon::ServerOptions o;
        o.allowed_uid = ::geteuid();
        o.max_connections = 4;
        o.daemon_version = "0.1.0";
        return o;
    }
    /// A connected client whose greeting has been read.
    std::unique_ptr<test::SocketPairClient> client() {
        auto c = std::make_unique<test::SocketPairClient>();
        REQUIRE(server->adopt(std::move(c->server_end)));
        REQUIRE(c->next_line(loop) ==
                std::optional<std::string>(
                    R"j({"jsonrpc":"2.0","method":"growth.hello","params":{"protocol":"1.0","version":"0.1.0"}})j"));
        return c;
    }
};

}  // namespace

TEST_CASE("the server greets first with growth.hello") {
    Fixture f;
    f.client();  // asserts the exact greeting
}

TEST_CASE("daemon.ping answers pong with the request's id") {
    Fixture f;
    auto c = f.client();
    c->send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"daemon.ping\"}\n");
    CHECK(c->next_line(f.loop) == std::optional<std::string>(R"j({"jsonrpc":"2.0","id":1,"result":{"pong":true}})j"));
}

TEST_CASE("requests split across writes are answered in order") {
    Fixture f;
    auto c = f.client();
    c->send("{\"jsonrpc\":\"2.0\",\"id\":1,\"meth");
    f.loop.run_once(10);
    c->send("od\":\"daemon.ping\"}\n{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"daemon.ping\"}\n");
    CHECK(c->next_line(f.loop) == std::optional<std::string>(R"j({"jsonrpc":"2.0","id":1,"result":{"pong":true}})j"));
    CHECK(c->next_line(f.loop) == std::optional<std::string>(R"j({"jsonrpc":"2.0","id":2,"result":{"pong":true}})j"));
}

TEST_CASE("a peer of another uid is dropped without a greeting") {
    daemon::ServerOptions o = Fixture::defaults();
    o.allowed_uid = ::geteuid() + 1;
    Fixture f(o);
    test::SocketPairClient c;
    CHECK_FALSE(f.server->adopt(std::move(c.server_end)));
    CHECK(c.closed_by_server(f.loop));
    CHECK(c.inbox.empty());
    CHECK(f.server->connections() == 0);
}

TEST_CASE("a connection beyond max_connections gets a JSON-RPC error, then is closed") {
    daemon::ServerOptions o = Fixture::defaults();
    o.max_connections = 1;
    Fixture f(o);
    auto first = f.client();
    test::SocketPairClient second;
    CHECK_FALSE(f.server->adopt(std::move(second.server_end)));
    CHECK(second.next_line(f.loop) ==
          std::optional<std::string>(R"j({"jsonrpc":"2.0","id":null,"error":{"code":-32000,"message":"too many connections (limit 1)","data":{"kind":"too_many_connections"}}})j"));
    CHECK(second.closed_by_server(f.loop));
    CHECK(f.server->connections() == 1);
}

TEST_CASE("an oversized line gets line_too_long and the connection is closed") {
    daemon::ServerOptions o = Fixture::defaults();
    o.limits.max_line = 16;
    Fixture f(o);
    auto c = f.client();
    c->send(std::string(40, 'x'));
    CHECK(c->next_line(f.loop) ==
          std::optional<std::string>(R"j({"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"request line longer than 16 bytes","data":{"kind":"line_too_long"}}})j"));
    CHECK(c->closed_by_server(f.loop));
}

TEST_CASE("requests before an oversized line are still answered") {
    daemon::ServerOptions o = Fixture::defaults();
    o.limits.max_line = 64;
    Fixture f(o);
    auto c = f.client();
    c->send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"daemon.ping\"}\n" + std::string(100, 'x'));
    CHECK(c->next_line(f.loop) == std::optional<std::string>(R"j({"jsonrpc":"2.0","id":1,"result":{"pong":true}})j"));
    CHECK(c->next_line(f.loop)->find("line_too_long") != std::string::npos);
}

TEST_CASE("a client that stops reading is no longer read from (back-pressure, bounded memory)") {
    daemon::ServerOptions o = Fixture::defaults();
    o.limits.output_high_water = 4096;
    o.limits.max_pending = 8;
    Fixture f(o);
    auto c = f.client();
    const std::string ping = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"daemon.ping\"}\n";
    // Write without reading until our own send buffer is full: that can only happen once the
    // server has stopped draining the socket.
    bool blocked = false;
    for (int i = 0; i < 200000 && !blocked; ++i) {
        const ssize_t n = ::send(c->client.get(), ping.data(), ping.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0 && errno == EAGAIN) {
            // Let the server catch up once more; if it still cannot, it is pausing.
            for (int k = 0; k < 5; ++k) f.loop.run_once(0);
            const ssize_t again = ::send(c->client.get(), ping.data(), ping.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
            blocked = again < 0 && errno == EAGAIN;
        }
        if (i % 64 == 0) f.loop.run_once(0);
    }
    CHECK(blocked);
    CHECK(f.server->connections() == 1);
    // Reading the replies lets the server resume: the connection still works.
    std::size_t replies = 0;
    for (int i = 0; i < 100000 && replies < 10; ++i) {
        if (auto line = c->next_line(f.loop, 5)) ++replies;
    }
    CHECK(replies == 10);
}

TEST_CASE("a closed client is torn down after the loop round, not inside its callback") {
    Fixture f;
    auto c = f.client();
    CHECK(f.server->connections() == 1);
    c->client.reset();
    for (int i = 0; i < 10 && f.server->connections() > 0; ++i) f.loop.run_once(10);
    CHECK(f.server->connections() == 0);
}

TEST_CASE("a last request without a newline is answered when the client shuts down writing") {
    Fixture f;
    auto c = f.client();
    c->send("{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"daemon.ping\"}");
    ::shutdown(c->client.get(), SHUT_WR);
    CHECK(c->next_line(f.loop) == std::optional<std::string>(R"j({"jsonrpc":"2.0","id":9,"result":{"pong":true}})j"));
    CHECK(c->closed_by_server(f.loop));
}

TEST_CASE("daemon.stop replies and asks the daemon to stop") {
    Fixture f;
    auto c = f.client();
    c->send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"daemon.stop\"}\n");
    CHECK(c->next_line(f.loop) == std::optional<std::string>(R"j({"jsonrpc":"2.0","id":1,"result":{"stopping":true}})j"));
    CHECK(f.control.stopped);
}

TEST_CASE("daemon.reload reports a bad config as config_invalid") {
    Fixture f;
    auto c = f.client();
    c->send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"daemon.reload\"}\n");
    CHECK(c->next_line(f.loop) ==
          std::optional<std::string>(R"j({"jsonrpc":"2.0","id":1,"error":{"code":-32000,"message":"/x/config.toml:1:1: unknown key 'y'","data":{"kind":"config_invalid"}}})j"));
    CHECK(f.control.reloads == 1);
}

TEST_CASE("daemon.describe lists the five daemon methods with their mutates flags") {
    Fixture f;
    auto c = f.client();
    c->send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"daemon.describe\"}\n");
    const auto line = c->next_line(f.loop);
    REQUIRE(line);
    const Json reply = Json::parse(*line);
    std::vector<std::string> names;
    std::vector<bool> mutates;
    for (const auto& m : reply["result"]["methods"]) {
        if (m["name"].get<std::string>().rfind("daemon.", 0) != 0) continue;  // the fixture's test.*
        names.push_back(m["name"]);
        mutates.push_back(m["mutates"]);
    }
    CHECK(reply["result"]["protocol"] == "1.0");
    CHECK(names == std::vector<std::string>{"daemon.describe", "daemon.ping", "daemon.reload",
                                            "daemon.status", "daemon.stop"});
    CHECK(mutates == std::vector<bool>{false, false, true, false, true});
}

TEST_CASE("a handler learns its connection and the server can push notifications to it later") {
    Fixture f;
    auto c = f.client();
    c->send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test.watch\"}\n");
    CHECK(c->next_line(f.loop) == std::optional<std::string>(R"j({"jsonrpc":"2.0","id":1,"result":{"watching":true}})j"));
    REQUIRE(f.watcher != 0);
    CHECK(f.server->push(f.watcher, "{\"jsonrpc\":\"2.0\",\"method\":\"test.event\",\"params\":{}}\n"));
    CHECK(c->next_line(f.loop) == std::optional<std::string>(R"j({"jsonrpc":"2.0","method":"test.event","params":{}})j"));
    CHECK_FALSE(f.server->push(f.watcher + 100, "x\n"));
}

TEST_CASE("a client that never reads its pushed notifications is closed, not buffered forever") {
    daemon::ServerOptions o = Fixture::defaults();
    o.limits.output_high_water = 1024;
    Fixture f(o);
    auto c = f.client();
    c->send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test.watch\"}\n");
    REQUIRE(c->next_line(f.loop));
    const std::string event(512, 'e');
    bool open = true;
    for (int i = 0; i < 100000 && open; ++i) open = f.server->push(f.watcher, event + "\n");
    CHECK_FALSE(open);
    CHECK(c->closed_by_server(f.loop, 100000));
}

namespace {

std::string later_call(int id) {
    return "{\"jsonrpc\":\"2.0\",\"id\":" + std::to_string(id) + ",\"method\":\"test.later\"}\n";
}

}  // namespace

TEST_CASE("a connection owed max_owed answers is refused one more at once with too_many_requests") {
    daemon::ServerOptions o = Fixture::defaults();
    o.limits.max_owed = 3;
    Fixture f(o);
    auto c = f.client();
    std::string calls;
    for (int id = 1; id <= 5; ++id) calls += later_call(id);
    c->send(calls);
    const std::string refused =
        R"j(,"error":{"code":-32000,"message":"too many requests awaiting an answer on this connection )j"
        R"j((limit 3); wait for answers before sending more","data":{"kind":"too_many_requests"}}})j";
    CHECK(c->next_line(f.loop) == std::optional<std::string>(R"j({"jsonrpc":"2.0","id":4)j" + refused));
    CHECK(c->next_line(f.loop) == std::optional<std::string>(R"j({"jsonrpc":"2.0","id":5)j" + refused));
    CHECK(f.later.size() == 3);  // the refused calls never reached the handler
    CHECK(f.server->owed() == 3);
    CHECK(f.server->refused() == 2);
    // Plain requests are still served while the connection is full.
    c->send("{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"daemon.ping\"}\n");
    CHECK(c->next_line(f.loop) == std::optional<std::string>(R"j({"jsonrpc":"2.0","id":6,"result":{"pong":true}})j"));
    // An answer frees a slot: the next deferred call is taken.
    f.later.front().result(Json{{"done", 1}});
    CHECK(c->next_line(f.loop) == std::optional<std::string>(R"j({"jsonrpc":"2.0","id":1,"result":{"done":1}})j"));
    CHECK(f.server->owed() == 2);
    c->send(later_call(7));
    for (int i = 0; i < 5; ++i) f.loop.run_once(0);
    CHECK(f.later.size() == 4);
    CHECK(f.server->owed() == 3);
    c->drain();
    CHECK(c->inbox.empty());
}

TEST_CASE("late answers obey back-pressure: while they are unsent the connection reads nothing") {
    daemon::ServerOptions o = Fixture::defaults();
    o.limits.output_high_water = 4096;
    o.limits.max_owed = 400;
    Fixture f(o);
    auto c = f.client();
    std::string calls;
    for (int id = 1; id <= 300; ++id) calls += later_call(id);
    c->send(calls);
    for (int i = 0; i < 50 && f.later.size() < 300; ++i) f.loop.run_once(0);
    REQUIRE(f.later.size() == 300);
    // 300 answers of 8 KiB: far more than the socket buffers and the high-water mark.
    const std::string big(8192, 'x');
    for (auto& r : f.later) r.result(Json{{"blob", big}});
    for (int i = 0; i < 20; ++i) f.loop.run_once(0);
    c->send(later_call(301));
    for (int i = 0; i < 20; ++i) f.loop.run_once(0);
    CHECK(f.later.size() == 300);  // not read while the answers wait for the client
    // The client reads: every answer arrives, in order, and then the new call is served.
    int answered = 0;
    for (int i = 0; i < 2000 && answered < 300; ++i) {
        if (auto line = c->next_line(f.loop, 5)) {
            ++answered;
            CHECK(line->rfind("{\"jsonrpc\":\"2.0\",\"id\":" + std::to_string(answered) + ",", 0) == 0);
        }
    }
    CHECK(answered == 300);
    for (int i = 0; i < 20 && f.later.size() < 301; ++i) f.loop.run_once(0);
    CHECK(f.later.size() == 301);
}

TEST_CASE("a closed connection's waiting answers are abandoned, and it is owed nothing any more") {
    Fixture f;
    auto c = f.client();
    c->send(later_call(1) + later_call(2));
    for (int i = 0; i < 5 && f.later.size() < 2; ++i) f.loop.run_once(0);
    REQUIRE(f.later.size() == 2);
    CHECK_FALSE(f.later[0].abandoned());
    CHECK(f.server->owed() == 2);
    c->client.reset();
    for (int i = 0; i < 10 && f.server->connections() > 0; ++i) f.loop.run_once(10);
    REQUIRE(f.server->connections() == 0);
    CHECK(f.later[0].abandoned());
    CHECK(f.later[1].abandoned());
    CHECK(f.server->owed() == 0);
    // Answering (or dropping) them now is harmless.
    f.later[0].result(Json{{"late", true}});
    f.later.clear();
    f.loop.run_once(0);
}
