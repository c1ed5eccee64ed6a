// The RPC server in-process over socketpair(): greeting, calls, uid check, limits, floods.
#include <doctest/doctest.h>

#include <unistd.h>

#include "core/error.hpp"
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

    explicit Fixture(daemon::ServerOptions options = defaults()) {
        daemon::add_daemon_methods(table, control);
        table.add({"test.watch", "Remembers the caller for pushes.", {}, false},
                  [this](const Json&, const rpc::CallContext& context) {
                      watcher = context.connection_id;
                      return Json{{"watching", true}};
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
