// The assembled Daemon in-process (no listening socket, no signal handling): status, reload,
// the data-directory lock, and the stop gate.
#include <doctest/doctest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "core/error.hpp"
#include "daemon/daemon.hpp"
#include "daemon_test_support.hpp"

using namespace growth;
using growth::rpc::Json;
namespace fs = std::filesystem;

namespace {

struct TempDir {
    fs::path path;
    TempDir() {
        char templ[] = "/tmp/growth-daemon-test-XXXXXX";
        path = ::mkdtemp(templ);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

daemon::DaemonOptions options_for(const TempDir& dir) {
    daemon::DaemonOptions o;
    o.config_file = dir.path / "config.toml";
    o.data_dir = dir.path / "data";
    o.listen = false;
    o.handle_signals = false;
    return o;
}

void write_file(const fs::path& path, const std::string& text) {
    std::ofstream(path) << text;
}

Json call(daemon::Daemon& d, test::SocketPairClient& c, const std::string& method) {
    c.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\"}\n");
    const auto line = c.next_line(d.loop());
    REQUIRE(line);
    return Json::parse(*line);
}

std::unique_ptr<test::SocketPairClient> connect(daemon::Daemon& d) {
    auto c = std::make_unique<test::SocketPairClient>();
    REQUIRE(d.server().adopt(std::move(c->server_end)));
    REQUIRE(c->next_line(d.loop()));  // greeting
    return c;
}

}  // namespace

TEST_CASE("daemon.status reports version, protocol, pid, paths and store counts") {
    TempDir dir;
    daemon::Daemon d(options_for(dir));
    auto c = connect(d);
    const Json status = call(d, *c, "daemon.status")["result"];
    CHECK(status["protocol"] == "1.0");
    CHECK(status["pid"] == ::getpid());
    CHECK(status["data_dir"] == (dir.path / "data").string());
    CHECK(status["config_file"] == (dir.path / "config.toml").string());
    CHECK(status["counts"]["posts"] == 0);
    CHECK(status["counts"]["parts"] == 0);
    CHECK(status["connections"] == 1);
    CHECK(fs::exists(dir.path / "data" / "growth.db"));
}

TEST_CASE("the data directory is created 0700") {
    TempDir dir;
    daemon::Daemon d(options_for(dir));
    CHECK((fs::status(dir.path / "data").permissions() & fs::perms::all) == fs::perms::owner_all);
}

TEST_CASE("a second daemon on the same data directory is refused with the holder's pid") {
    TempDir dir;
    daemon::Daemon first(options_for(dir));
    try {
        daemon::Daemon second(options_for(dir));
        FAIL("second daemon started");
    } catch (const Error& e) {
        CHECK(e.kind() == "already_running");
        CHECK(std::string(e.what()) == "another growthd (pid " + std::to_string(::getpid()) +
                                           ") is already using data directory " +
                                           (dir.path / "data").string());
    }
}

TEST_CASE("reload applies a new max_connections") {
    TempDir dir;
    daemon::Daemon d(options_for(dir));
    write_file(dir.path / "config.toml", "[daemon]\nmax_connections = 3\nlog_level = \"debug\"\n");
    auto c = connect(d);
    const Json reply = call(d, *c, "daemon.reload");
    CHECK(reply["result"]["max_connections"] == 3);
    CHECK(reply["result"]["log_level"] == "debug");
    CHECK(d.config().max_connections == 3);
}

TEST_CASE("a bad config on reload is reported and the old one kept") {
    TempDir dir;
    write_file(dir.path / "config.toml", "[daemon]\nmax_connections = 5\n");
    daemon::Daemon d(options_for(dir));
    write_file(dir.path / "config.toml", "[daemon]\nmax_connections = \"many\"\n");
    auto c = connect(d);
    const Json reply = call(d, *c, "daemon.reload");
    CHECK(reply["error"]["data"]["kind"] == "config_invalid");
    CHECK(d.config().max_connections == 5);
}

TEST_CASE("a bad config at start-up refuses to start") {
    TempDir dir;
    write_file(dir.path / "config.toml", "[daemon]\nlog_levle = \"debug\"\n");
    CHECK_THROWS_WITH_AS(daemon::Daemon(options_for(dir)),
                         doctest::Contains("config.toml:2:1"), Error);
}

TEST_CASE("daemon.stop replies and stops the loop after the round") {
    TempDir dir;
    daemon::Daemon d(options_for(dir));
    auto c = connect(d);
    CHECK(call(d, *c, "daemon.stop")["result"]["stopping"] == true);
    CHECK(d.loop().stopped());
}

TEST_CASE("the wall-clock timer is disarmed when nothing is scheduled") {
    TempDir dir;
    daemon::Daemon d(options_for(dir));
    CHECK_FALSE(d.scheduler().armed().has_value());
}
