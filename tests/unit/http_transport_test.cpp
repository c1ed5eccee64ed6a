// The libcurl multi transport on the daemon's event loop, against a tiny loopback server thread:
// responses, User-Agent, and how each way of getting no response is classified.
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
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

    /// Answers by calling `answer` with the connected socket instead of sending one string.
    using Answer = std::function<void(int)>;

    LoopbackServer(std::string reply, std::chrono::milliseconds hold = 0ms)
        : LoopbackServer(Answer([reply = std::move(reply), hold](int c) {
              std::this_thread::sleep_for(hold);
              if (!reply.empty()) ::send(c, reply.data(), reply.size(), MSG_NOSIGNAL);
          })) {}

    explicit LoopbackServer(Answer answer) {
        fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
        socklen_t len = sizeof addr;
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
        port = ntohs(addr.sin_port);
        ::listen(fd, 4);
        thread = std::thread([this, answer = std::move(answer)] {
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
            answer(c);
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
    explicit Run(const daemon::HttpOptions& options) : transport(loop, options) {}

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

namespace {

/// Options with small bounds, so the tests stay fast: 64 KiB of body, 8 levels, 4 KiB of headers.
daemon::HttpOptions small_bounds(std::chrono::milliseconds timeout = 5000ms) {
    daemon::HttpOptions o{1000ms, timeout, "growth/test"};
    o.max_response_bytes = 64 * 1024;
    o.max_json_depth = 8;
    o.max_header_bytes = 4 * 1024;
    return o;
}

/// The answer_refused outcome's detail; fails the test on any other outcome.
std::string refused_detail(const http::Outcome& o) {
    const auto* n = std::get_if<http::NoResponse>(&o);
    REQUIRE(n != nullptr);
    CHECK(n->kind == http::NoResponseKind::answer_refused);
    return n->detail;
}

/// Sends `head` and then `body_piece` until the peer stops reading (or 64 MiB went out).
LoopbackServer::Answer endless(std::string head, std::string body_piece) {
    return [head = std::move(head), piece = std::move(body_piece)](int c) {
        if (::send(c, head.data(), head.size(), MSG_NOSIGNAL) < 0) return;
        for (std::size_t sent = 0; sent < 64u * 1024 * 1024; sent += piece.size()) {
            if (::send(c, piece.data(), piece.size(), MSG_NOSIGNAL) < 0) return;
        }
    };
}

}  // namespace

TEST_CASE("a body exactly at max_response_bytes is read whole") {
    const std::string body(64 * 1024, 'x');
    LoopbackServer server("HTTP/1.1 200 OK\r\nContent-Length: 65536\r\n\r\n" + body);
    Run run(small_bounds());
    const http::Outcome o = run.send(post(server.url()));
    const auto* r = std::get_if<http::HttpResponse>(&o);
    REQUIRE(r != nullptr);
    CHECK(r->body == body);
}

TEST_CASE("an endless body is aborted at max_response_bytes: answer_refused, nothing kept") {
    LoopbackServer server(endless("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n",
                                  std::string(16 * 1024, ' ')));
    Run run(small_bounds());
    const auto started = std::chrono::steady_clock::now();
    CHECK(refused_detail(run.send(post(server.url()))) ==
          "larger than 65536 bytes, limits.max_response_bytes");
    CHECK(std::chrono::steady_clock::now() - started < 2s);
}

TEST_CASE("a chunked endless body is aborted the same way") {
    std::string chunk = "4000\r\n" + std::string(0x4000, 'a') + "\r\n";
    LoopbackServer server(endless("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", chunk));
    Run run(small_bounds());
    CHECK(refused_detail(run.send(post(server.url()))) ==
          "larger than 65536 bytes, limits.max_response_bytes");
}

TEST_CASE("a Content-Length over the bound is refused before the body is read") {
    LoopbackServer server("HTTP/1.1 200 OK\r\nContent-Length: 52428800\r\n\r\n{}");
    Run run(small_bounds());
    CHECK(refused_detail(run.send(post(server.url()))) ==
          "announced larger than 65536 bytes, limits.max_response_bytes");
}

TEST_CASE("a body nested deeper than max_json_depth is aborted as it arrives") {
    LoopbackServer server(endless("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n",
                                  std::string(1024, '[')));
    Run run(small_bounds());
    CHECK(refused_detail(run.send(post(server.url()))) ==
          "nested deeper than 8 levels, limits.max_json_depth");
}

TEST_CASE("nesting within max_json_depth is read; brackets in strings do not count") {
    const std::string body = "[[[[[[[[\"[[[[[[[[[[[[\"]]]]]]]]";
    LoopbackServer server("HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) +
                          "\r\n\r\n" + body);
    Run run(small_bounds());
    const http::Outcome o = run.send(post(server.url()));
    const auto* r = std::get_if<http::HttpResponse>(&o);
    REQUIRE(r != nullptr);
    CHECK(r->body == body);
}

TEST_CASE("endless header lines are refused past max_header_bytes") {
    LoopbackServer server(endless("HTTP/1.1 200 OK\r\n", "X-Filler: " + std::string(100, 'h') + "\r\n"));
    Run run(small_bounds());
    CHECK(refused_detail(run.send(post(server.url()))) == "headers larger than 4096 bytes");
}

TEST_CASE("new response bounds apply to the next transfer") {
    const std::string body(2048, 'x');
    const std::string reply = "HTTP/1.1 200 OK\r\nContent-Length: 2048\r\n\r\n" + body;
    Run run(small_bounds());
    {
        LoopbackServer server(reply);
        CHECK(std::holds_alternative<http::HttpResponse>(run.send(post(server.url()))));
    }
    run.transport.set_response_limits(1024, 8);
    run.outcome.reset();
    LoopbackServer server(reply);
    CHECK(refused_detail(run.send(post(server.url()))) ==
          "announced larger than 1024 bytes, limits.max_response_bytes");
}

TEST_CASE("a peer dripping one byte at a time ends at the total timeout, lost") {
    // CURLOPT_TIMEOUT bounds the whole exchange: a drip never resets it.
    LoopbackServer server([](int c) {
        const std::string head = "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n";
        ::send(c, head.data(), head.size(), MSG_NOSIGNAL);
        for (int i = 0; i < 40; ++i) {  // 2 s at most
            if (::send(c, "x", 1, MSG_NOSIGNAL) < 0) return;
            std::this_thread::sleep_for(50ms);
        }
    });
    Run run(small_bounds(400ms));
    const auto started = std::chrono::steady_clock::now();
    const http::Outcome o = run.send(post(server.url()));
    const auto took = std::chrono::steady_clock::now() - started;
    const auto* n = std::get_if<http::NoResponse>(&o);
    REQUIRE(n != nullptr);
    CHECK(n->kind == http::NoResponseKind::lost);
    CHECK(n->detail.find("timed out") != std::string::npos);
    CHECK(took < 1500ms);
}
