#pragma once
// Helpers for the publisher unit tests: canned responses, step accessors, a fixed clock.

#include <doctest/doctest.h>

#include <string>
#include <variant>

#include "core/publish/publisher.hpp"
#include "core/publish/rate_limit.hpp"

namespace growth::publish::test {

/// The fixed "now" of every test: 2026-01-01T12:00:00Z.
inline Instant now() { return *parse_iso8601("2026-01-01T12:00:00Z"); }

inline http::Outcome response(int status, std::string body, http::Headers headers = {}) {
    return http::HttpResponse{status, std::move(headers), std::move(body)};
}

inline http::Outcome lost() {
    return http::NoResponse{http::NoResponseKind::lost, "timeout after 30 s"};
}
inline http::Outcome not_sent() {
    return http::NoResponse{http::NoResponseKind::not_sent, "connection refused"};
}

template <class Step>
Send as_send(const Step& s) {
    if (const auto* f = std::get_if<Failure>(&s))
        FAIL_CHECK("unexpected failure: " << f->code << ": " << f->message);
    REQUIRE(std::holds_alternative<Send>(s));
    return std::get<Send>(s);
}

template <class Step>
Failure as_failure(const Step& s) {
    REQUIRE(std::holds_alternative<Failure>(s));
    return std::get<Failure>(s);
}

inline Published as_published(const PartStep& s) {
    if (const auto* f = std::get_if<Failure>(&s))
        FAIL_CHECK("unexpected failure: " << f->code << ": " << f->message);
    REQUIRE(std::holds_alternative<Published>(s));
    return std::get<Published>(s);
}

inline Identity as_identity(const WhoAmIStep& s) {
    if (const auto* f = std::get_if<Failure>(&s))
        FAIL_CHECK("unexpected failure: " << f->code << ": " << f->message);
    REQUIRE(std::holds_alternative<Identity>(s));
    return std::get<Identity>(s);
}

/// The value of header `name` in `req` ("" when absent).
inline std::string header(const http::HttpRequest& req, std::string_view name) {
    return std::string(req.headers.get(name).value_or(""));
}

/// Runs `publisher` to the end, answering every Send with the next of `outcomes`.
template <class Machine, class... Outcomes>
auto run(Machine& m, Outcomes... outcomes) {
    auto step = m.start(now());
    for (const http::Outcome& o : {http::Outcome(outcomes)...}) {
        as_send(step);
        step = m.feed(o, now());
    }
    return step;
}

}  // namespace growth::publish::test
