#include "core/publish/bluesky_session.hpp"

#include <fmt/format.h>

#include "core/http/encoding.hpp"
#include "core/publish/bluesky.hpp"
#include "core/publish/failure.hpp"
#include "core/publish/json_fields.hpp"
#include "core/publish/machine.hpp"
#include "core/publish/rate_limit.hpp"

namespace growth::publish::bluesky::detail {

XrpcError parse_xrpc_error(std::string_view body) {
    XrpcError e;
    if (auto j = parse_json(body)) {
        e.name = string_member(*j, "error").value_or("");
        e.message = string_member(*j, "message").value_or("");
    }
    return e;
}

bool is_token_error(const http::HttpResponse& r) {
    if (r.status == 401) return true;
    if (r.status != 400) return false;
    auto e = parse_xrpc_error(r.body);
    return e.name == "ExpiredToken" || e.name == "InvalidToken";
}

std::string xrpc_url(const Account& account, std::string_view method) {
    return http::join_url(publish::detail::or_default(account.api_base, kDefaultApiBase),
                          fmt::format("xrpc/{}", method));
}

http::HttpRequest create_session_request(const Account& account) {
    nlohmann::ordered_json body;
    body["identifier"] = account.username;
    body["password"] = account.app_password;
    http::HttpRequest req;
    req.method = "POST";
    req.url = xrpc_url(account, "com.atproto.server.createSession");
    req.headers.add("Content-Type", "application/json");
    req.body = dump_json(body).value_or("{}");
    return req;
}

http::HttpRequest refresh_session_request(const Account& account, const BlueskySession& session) {
    http::HttpRequest req;
    req.method = "POST";
    req.url = xrpc_url(account, "com.atproto.server.refreshSession");
    req.headers.add("Authorization", "Bearer " + session.refresh_jwt);
    return req;
}

namespace {
std::string error_detail(const XrpcError& e, const Account& account,
                         const BlueskySession& session) {
    std::string text;
    if (!e.name.empty()) text = e.name;
    if (!e.message.empty()) text += (text.empty() ? "" : ": ") + e.message;
    if (text.empty()) text = "no error text";
    return sanitize_message(text, {account.app_password, session.access_jwt, session.refresh_jwt,
                                   account.session.access_jwt, account.session.refresh_jwt});
}
}  // namespace

Failure classify_error(const http::HttpResponse& r, Instant now, std::string_view what,
                       bool idempotent, const Account& account, const BlueskySession& session) {
    auto e = parse_xrpc_error(r.body);
    std::string detail = error_detail(e, account, session);
    if (r.status == 429 || e.name == "RateLimitExceeded") {
        auto f = make_failure(
            FailureClass::rate_limited, "rate_limited",
            fmt::format("{} is rate limited: {} (HTTP {})", what, detail, r.status), r.status);
        f.retry_at = bluesky_reset(r.headers, now);
        return f;
    }
    if (r.status >= 500) return server_error_failure(r.status, idempotent, what, detail);
    if (e.name == "AccountTakedown") {
        return make_failure(FailureClass::permanent, "account_takedown",
                            fmt::format("{} was refused: {} (HTTP {})", what, detail, r.status),
                            r.status);
    }
    return make_failure(
        FailureClass::permanent, r.status == 400 ? "validation" : fmt::format("http_{}", r.status),
        fmt::format("{} was refused: {} (HTTP {})", what, detail, r.status), r.status);
}

std::variant<BlueskySession, Failure> parse_session(const http::Outcome& outcome, bool refreshing,
                                                    const BlueskySession& previous,
                                                    const Account& account, Instant now) {
    std::string_view what = refreshing ? "Bluesky session refresh" : "Bluesky login";
    if (const auto* nr = std::get_if<http::NoResponse>(&outcome)) {
        // Nothing was posted: logging in again is harmless.
        auto f = no_response_failure(*nr, true, what);
        f.verify_on_retry = false;
        return f;
    }
    const auto& r = std::get<http::HttpResponse>(outcome);
    if (!is_success(r.status)) {
        auto e = parse_xrpc_error(r.body);
        std::string detail = error_detail(e, account, previous);
        if (r.status == 401 || e.name == "ExpiredToken" || e.name == "InvalidToken" ||
            e.name == "AuthFactorTokenRequired" || e.name == "AuthenticationRequired") {
            std::string code = refreshing
                                   ? "session_expired"
                                   : (e.name == "AuthFactorTokenRequired" ? "auth_factor_required"
                                                                          : "login_failed");
            return make_failure(
                FailureClass::needs_login, code,
                fmt::format("{} was refused: {} (HTTP {}); log in again", what, detail, r.status),
                r.status);
        }
        auto f = classify_error(r, now, what, true, account, previous);
        f.verify_on_retry = false;
        return f;
    }
    auto j = parse_json(r.body);
    std::string problem;
    BlueskySession s;
    if (!j) {
        problem = "the body is not JSON";
    } else if (auto access = nonempty_string_member(*j, "accessJwt"); !access) {
        problem = "accessJwt is missing or not a string";
    } else if (auto refresh = nonempty_string_member(*j, "refreshJwt"); !refresh) {
        problem = "refreshJwt is missing or not a string";
    } else {
        s.access_jwt = *access;
        s.refresh_jwt = *refresh;
        s.did = string_member(*j, "did").value_or(previous.did);
        s.handle = string_member(*j, "handle").value_or(previous.handle);
        if (s.did.rfind("did:", 0) != 0) {
            problem = "did is missing or not a DID";
        } else {
            return s;
        }
    }
    return make_failure(FailureClass::retry_safe, "bad_response",
                        fmt::format("{} answered HTTP {} but {}", what, r.status, problem),
                        r.status);
}

}  // namespace growth::publish::bluesky::detail
