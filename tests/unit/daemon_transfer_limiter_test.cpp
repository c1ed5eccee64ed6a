// TransferLimiter: at most N transfers per account at once, the rest queued oldest first, and
// http::Transport's contract kept for queued requests (exactly one answer, never inside send(),
// not_sent when dropped before leaving: waited too long, or nobody waits any more).

#include <doctest/doctest.h>

#include <chrono>
#include <deque>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "daemon/event_loop.hpp"
#include "daemon/transfer_limiter.hpp"
#include "held_transport.hpp"

using namespace std::chrono_literals;
namespace http = growth::http;
using growth::daemon::EventLoop;
using growth::daemon::TransferLimiter;

namespace {

using growth::test::HeldTransport;

http::HttpRequest request(const std::string& url, const std::string& account) {
    http::HttpRequest r;
    r.method = "GET";
    r.url = url;
    r.owner.account = account;
    return r;
}

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& s : items) out += (out.empty() ? "" : " ") + s;
    return out;
}

// Records the outcome of each request by url: "200" or "not_sent: <detail>" / "lost: <detail>".
struct Outcomes {
    std::vector<std::string> lines;
    http::Transport::Callback recorder(const std::string& url) {
        return [this, url](http::Outcome o) {
            if (const auto* r = std::get_if<http::HttpResponse>(&o)) {
                lines.push_back(url + " " + std::to_string(r->status));
            } else {
                const auto& n = std::get<http::NoResponse>(o);
                lines.push_back(url + (n.kind == http::NoResponseKind::not_sent ? " not_sent: " : " lost: ") +
                                n.detail);
            }
        };
    }
};

void pump(EventLoop& loop, int rounds = 3) {
    for (int i = 0; i < rounds; ++i) loop.run_once(0);
}

}  // namespace

TEST_CASE("transfer limiter: at most N per account run, the rest start oldest first as others finish") {
    EventLoop loop;
    HeldTransport inner;
    TransferLimiter limiter(loop, inner, 2, 30s);
    Outcomes out;
    for (const char* url : {"a1", "a2", "a3", "a4"}) limiter.send(request(url, "work-x"), out.recorder(url));
    limiter.send(request("b1", "other"), out.recorder("b1"));
    limiter.send(request("free", ""), out.recorder("free"));  // no account: never limited
    CHECK(joined(inner.started) == "a1 a2 b1 free");
    CHECK(limiter.running() == 3);  // the unlimited one is not counted
    CHECK(limiter.queued() == 2);

    inner.answer_url("a2");
    CHECK(joined(inner.started) == "a1 a2 b1 free a3");
    inner.answer_url("b1");  // another account's slot frees nothing for work-x
    CHECK(joined(inner.started) == "a1 a2 b1 free a3");
    inner.answer_url("a1");
    CHECK(joined(inner.started) == "a1 a2 b1 free a3 a4");
    CHECK(limiter.queued() == 0);
    inner.answer_url("a3");
    inner.answer_url("a4");
    inner.answer_url("free");
    CHECK(joined(out.lines) == "a2 200 b1 200 a1 200 a3 200 a4 200 free 200");
    CHECK(limiter.running() == 0);
}

TEST_CASE("transfer limiter: a request sent from a callback queues behind older ones (FIFO)") {
    EventLoop loop;
    HeldTransport inner;
    TransferLimiter limiter(loop, inner, 1, 30s);
    Outcomes out;
    limiter.send(request("first", "acct"), [&](http::Outcome) {
        // The next part of a thread, sent as soon as the first is answered.
        limiter.send(request("follow-up", "acct"), out.recorder("follow-up"));
    });
    limiter.send(request("waiting", "acct"), out.recorder("waiting"));
    inner.answer_url("first");
    CHECK(joined(inner.started) == "first waiting");
    inner.answer_url("waiting");
    CHECK(joined(inner.started) == "first waiting follow-up");
}

TEST_CASE("transfer limiter: a queued request nobody waits for is answered not_sent, later, and never sent") {
    EventLoop loop;
    HeldTransport inner;
    TransferLimiter limiter(loop, inner, 1, 30s);
    Outcomes out;
    bool gone = false;
    limiter.send(request("running", "acct"), out.recorder("running"));
    http::HttpRequest r = request("queued", "acct");
    r.owner.abandoned = [&gone] { return gone; };
    limiter.send(std::move(r), out.recorder("queued"));
    limiter.send(request("next", "acct"), out.recorder("next"));
    gone = true;
    inner.answer_url("running");
    // The abandoned one is skipped; the slot goes to the next request.
    CHECK(joined(inner.started) == "running next");
    CHECK(joined(out.lines) == "running 200");  // the drop is answered from the loop, not from here
    pump(loop);
    CHECK(joined(out.lines) == "running 200 queued not_sent: not sent: nobody waits for the answer any more");
}

TEST_CASE("transfer limiter: a flood whose client left is swept from the queue without waiting for a slot") {
    EventLoop loop;
    HeldTransport inner;
    TransferLimiter limiter(loop, inner, 1, 30s);
    Outcomes out;
    limiter.send(request("stuck", "acct"), out.recorder("stuck"));
    bool gone = true;  // the client left while its requests were still arriving
    int dropped = 0;
    for (int i = 0; i < 1000; ++i) {
        http::HttpRequest r = request("flood", "acct");
        r.owner.abandoned = [&gone] { return gone; };
        limiter.send(std::move(r), [&dropped](http::Outcome o) {
            if (std::get<http::NoResponse>(o).kind == http::NoResponseKind::not_sent) ++dropped;
        });
    }
    CHECK(limiter.queued() < 32);  // a queue that doubles is swept: bounded, not 1000
    CHECK(dropped == 0);           // and nothing is answered inside send()
    pump(loop);
    CHECK(dropped + static_cast<int>(limiter.queued()) == 1000);
    CHECK(joined(inner.started) == "stuck");  // the slot is still taken: nothing else started
}

TEST_CASE("transfer limiter: a request that waits max_wait for a slot is answered not_sent and never sent") {
    EventLoop loop;
    HeldTransport inner;
    TransferLimiter limiter(loop, inner, 1, 40ms);
    Outcomes out;
    // Before the sends: the wait is counted from the send, and on a loaded machine (ASan in CI)
    // time passes between the two sends and a clock read after them.
    const auto start = std::chrono::steady_clock::now();
    limiter.send(request("stalled", "work-x"), out.recorder("stalled"));
    limiter.send(request("queued", "work-x"), out.recorder("queued"));
    while (out.lines.empty() && std::chrono::steady_clock::now() - start < 2s) loop.run_once(10);
    CHECK(std::chrono::steady_clock::now() - start >= 40ms);
    CHECK(joined(out.lines) ==
          "queued not_sent: not sent: no transfer slot free for account work-x within 0.04 s (1 at once per account)");
    CHECK(joined(inner.started) == "stalled");
    CHECK(limiter.queued() == 0);
    // The stalled transfer still finishes normally and frees its slot.
    inner.answer_url("stalled");
    limiter.send(request("after", "work-x"), out.recorder("after"));
    CHECK(joined(inner.started) == "stalled after");
}

TEST_CASE("transfer limiter: raising the limit starts queued requests") {
    EventLoop loop;
    HeldTransport inner;
    TransferLimiter limiter(loop, inner, 1, 30s);
    Outcomes out;
    for (const char* url : {"1", "2", "3"}) limiter.send(request(url, "acct"), out.recorder(url));
    CHECK(joined(inner.started) == "1");
    limiter.set_per_account(3);
    CHECK(joined(inner.started) == "1 2 3");
    limiter.set_per_account(0);  // taken as 1
    limiter.send(request("4", "acct"), out.recorder("4"));
    CHECK(joined(inner.started) == "1 2 3");
}

TEST_CASE("transfer limiter: destroyed, it drops queued callbacks and survives late inner answers") {
    EventLoop loop;
    HeldTransport inner;
    Outcomes out;
    {
        TransferLimiter limiter(loop, inner, 1, 30s);
        limiter.send(request("running", "acct"), out.recorder("running"));
        limiter.send(request("queued", "acct"), out.recorder("queued"));
    }
    inner.answer_url("running");  // the caller still gets its answer; nothing else happens
    pump(loop);
    CHECK(joined(out.lines) == "running 200");
    CHECK(joined(inner.started) == "running");
}

TEST_CASE("transfer limiter: requests of a client that left are let go within a second, slot or not") {
    EventLoop loop;
    HeldTransport inner;
    TransferLimiter limiter(loop, inner, 1, 30s);
    Outcomes out;
    bool gone = false;
    limiter.send(request("stuck", "acct"), out.recorder("stuck"));
    http::HttpRequest r = request("left", "acct");
    r.owner.abandoned = [&gone] { return gone; };
    limiter.send(std::move(r), out.recorder("left"));
    limiter.send(request("stays", "acct"), out.recorder("stays"));
    gone = true;
    const auto start = std::chrono::steady_clock::now();
    while (out.lines.empty() && std::chrono::steady_clock::now() - start < 3s) loop.run_once(50);
    CHECK(joined(out.lines) == "left not_sent: not sent: nobody waits for the answer any more");
    CHECK(limiter.queued() == 1);  // the live one keeps its place
    CHECK(joined(inner.started) == "stuck");
}
