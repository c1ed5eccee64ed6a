#pragma once
// A fake HTTP transport for unit tests: it holds every request it is given, and the test answers
// them, the oldest first or by URL.

#include <doctest/doctest.h>

#include <deque>
#include <string>
#include <utility>
#include <vector>

#include "core/http/transport.hpp"

namespace growth::test {

struct HeldTransport final : http::Transport {
    struct Held {
        http::HttpRequest request;
        Callback done;
    };
    std::deque<Held> held;              ///< not answered yet, oldest first
    std::vector<std::string> started;   ///< every request's URL, in the order it arrived
    int sent = 0;                       ///< requests received

    void send(http::HttpRequest request, Callback done) override {
        ++sent;
        started.push_back(request.url);
        held.push_back({std::move(request), std::move(done)});
    }
    /// Answers the oldest held request with `outcome`.
    void answer(http::Outcome outcome) {
        REQUIRE_FALSE(held.empty());
        Held h = std::move(held.front());
        held.pop_front();
        h.done(std::move(outcome));
    }
    /// Answers the oldest held request with a JSON body.
    void answer(int status, std::string body) {
        http::HttpResponse r;
        r.status = status;
        r.headers.add("Content-Type", "application/json");
        r.body = std::move(body);
        answer(http::Outcome(r));
    }
    /// Answers the held request for `url` with 200 and no body.
    void answer_url(const std::string& url) {
        for (auto it = held.begin(); it != held.end(); ++it) {
            if (it->request.url != url) continue;
            Held h = std::move(*it);
            held.erase(it);
            http::HttpResponse r;
            r.status = 200;
            h.done(r);
            return;
        }
        FAIL("no held request for " << url);
    }
};

}  // namespace growth::test
