// The libcurl multi transport on the daemon's event loop, against a tiny loopback server thread:
// responses, User-Agent, and how each way of getting no response is classified.
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <thread>

#include "daemon/curl_transport.hpp"
#include "growth/version.hpp"

using namespace growth;
using namespace std::chrono_literals;

namespace {

/// One-connection server: accepts, reads a request, then answers `reply` (or closes when empty,
/// or waits `hold` before doing so). Records what it received.
struct LoopbackServer {
    int fd = -1;
    int port = 0;
    std::string received;
    std::thread thread;

    LoopbackServer(std::string reply, std::chrono::milliseconds hold = 0ms) {
        fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
        socklen_t len = sizeof addr;
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
        port = ntohs(addr.sin_port);
        ::listen(fd, 4);
        thread = std::thread([this, reply = std::move(reply), hold] {
            const int c = ::accept(fd, nullptr, nullptr);
            if (c < 0) return;
            char buf[4096];
            while (received.find("\r\n\r\n") == std::string::npos) {
                const ssize_t n = ::recv(c, buf, sizeof buf, 0);
                if (n <= 0) break;
                received.append(buf, static_cast<std::size_t>(n));
            }
            const auto cl = received.find("Content-Length: ");
            if (cl != std::string::npos) {
                const std::size_t want = std::stoul(received.substr(cl + 16));
                const std::size_t have = received.size() - (received.find("\r\n\r\n") + 4);
                for (std::size_t got = have; got < want;) {
                    const ssize_t n = ::recv(c, buf, sizeof buf, 0);
                    if (n <= 0) break;
                    received.append(buf, static_cast<std::size_t>(n));
                    got += static_cast<std::size_t>(n);
                }
            }
            std::this_thread::sleep_for(hold);
            if (!reply.empty()) ::send(c, reply.data(), reply.size(), MSG_NOSIGNAL);
            ::close(c);
        });
    }
    ~LoopbackServer() {
        ::shutdown(fd, SHUT_RDWR);
        thread.join();
        ::close(fd);
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port) + "/path"; }
};

struct Run {
    daemon::EventLoop loop;
    daemon::CurlTransport transport;
    std::optional<http::Outcome> outcome;
    bool inside_send = false;
    bool called_inside_send = false;

    explicit Run(std::chrono::milliseconds timeout = 2000ms)
        : transport(loop, daemon::HttpOptions{1000ms, timeout, std::string("growth/") + growth::version}) {}

    http::Outcome send(http::HttpRequest req) {
        inside_send = true;
        transport.send(std::move(req), [this](http::Outcome o) {
            called_inside_send = inside_send;
            outcome = std::move(o);
        });
        inside_send = false;
        const auto deadline = std::chrono::steady_clock::now() + 10s;
        while (!outcome && std::chrono::steady_clock::now() < deadline) loop.run_once(100);
        REQUIRE(outcome.has_value());
        return *outcome;
    }
};

http::HttpRequest post(const std::string& url) {
    http::HttpRequest r;
    r.method = "POST";
    r.url = url;
    r.headers.add("Content-Type", "application/json");
    r.body = R"({"text":"hi"})";
    return r;
}

}  // namespace

TEST_CASE("a response comes back with status, headers and body; the request names growth") {
    LoopbackServer server("HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nX-Rate: 5\r\n"
                          "Content-Length: 9\r\n\r\n{\"id\":7}\n");
    Run run;
    const http::Outcome o = run.send(post(server.url()));
    const auto* r = std::get_if<http::HttpResponse>(&o);
    REQUIRE(r != nullptr);
    CHECK(r->status == 201);
    CHECK(r->headers.get("x-rate") == "5");
    CHECK(r->body == "{\"id\":7}\n");
    CHECK_FALSE(run.called_inside_send);
    CHECK(server.received.find(std::string("User-Agent: growth/") + growth::version + "\r\n") !=
          std::string::npos);
    CHECK(server.received.find("POST /path HTTP/1.1") == 0);
    CHECK(server.received.find("{\"text\":\"hi\"}") != std::string::npos);
}

TEST_CASE("a refused connection is not_sent: the request certainly never left") {
    int port = 0;
    {
        LoopbackServer probe("HTTP/1.1 204 No Content\r\n\r\n");
        port = probe.port;
        Run warm;
        warm.send(post(probe.url()));
    }
    Run run;
    const http::Outcome o = run.send(post("http://127.0.0.1:" + std::to_string(port) + "/x"));
    const auto* n = std::get_if<http::NoResponse>(&o);
    REQUIRE(n != nullptr);
    CHECK(n->kind == http::NoResponseKind::not_sent);
    CHECK_FALSE(run.called_inside_send);
}

TEST_CASE("a connection closed after the request without an answer is lost") {
    LoopbackServer server("");
    Run run;
    const http::Outcome o = run.send(post(server.url()));
    const auto* n = std::get_if<http::NoResponse>(&o);
    REQUIRE(n != nullptr);
    CHECK(n->kind == http::NoResponseKind::lost);
}

TEST_CASE("a server that stalls past the timeout is lost") {
    LoopbackServer server("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", 1500ms);
    Run run(300ms);
    const http::Outcome o = run.send(post(server.url()));
    const auto* n = std::get_if<http::NoResponse>(&o);
    REQUIRE(n != nullptr);
    CHECK(n->kind == http::NoResponseKind::lost);
}
