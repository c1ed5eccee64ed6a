#include "core/publish/meta_graph.hpp"

#include <fmt/format.h>

#include "core/publish/failure.hpp"
#include "core/publish/json_fields.hpp"
#include "core/publish/rate_limit.hpp"

namespace growth::publish::meta {

std::optional<GraphError> parse_graph_error(std::string_view body) {
    auto j = parse_json(body);
    if (!j) return std::nullopt;
    const auto* e = member(*j, "error");
    if (e == nullptr || !e->is_object()) return std::nullopt;
    GraphError g;
    g.message = string_member(*e, "message").value_or("");
    g.type = string_member(*e, "type").value_or("");
    g.code = integer_member(*e, "code").value_or(0);
    g.subcode = integer_member(*e, "error_subcode").value_or(0);
    if (const auto* t = member(*e, "is_transient"); t != nullptr && t->is_boolean())
        g.is_transient = t->get<bool>();
    return g;
}

Failure classify_error(const http::HttpResponse& r, Instant now, bool applies,
                       std::string_view what, std::string_view token) {
    auto g = parse_graph_error(r.body);
    std::string detail;
    if (g) {
        detail =
            sanitize_message(g->message.empty() ? std::string("no message") : g->message, {token});
        detail += fmt::format(" (code {}", g->code);
        if (g->subcode != 0) detail += fmt::format(", subcode {}", g->subcode);
        detail += fmt::format(", HTTP {})", r.status);
    } else {
        detail = fmt::format("HTTP {} without a Graph error body", r.status);
    }
    const long long code = g ? g->code : 0;
    auto failure = [&](FailureClass cls, std::string c, std::string_view prefix) {
        return make_failure(cls, std::move(c), fmt::format("{} {}: {}", what, prefix, detail),
                            r.status);
    };

    if (code == 190 || r.status == 401) {
        return failure(FailureClass::needs_login,
                       g && g->subcode == 463 ? "token_expired" : "token_invalid",
                       "needs a new login");
    }
    if (code == 4 || code == 17 || code == 32 || code == 341 || code == 613 ||
        (code >= 80000 && code <= 80099) || r.status == 429) {
        auto f = failure(FailureClass::rate_limited, "rate_limited", "is rate limited");
        f.retry_at = meta_reset(r.headers, now);
        return f;
    }
    if (r.status >= 500) {
        return server_error_failure(r.status, !applies, what,
                                    g ? sanitize_message(g->message, {token}) : "");
    }
    if (code == 1 || code == 2 || (g && g->is_transient)) {
        // "Temporary" does not say "not applied": a create that failed so may have gone through.
        if (applies) {
            return failure(FailureClass::ambiguous, "transient",
                           "failed temporarily and may or may not have been published");
        }
        return failure(FailureClass::retry_safe, "transient", "failed temporarily");
    }
    if (code == 506)
        return failure(FailureClass::permanent, "duplicate_content", "was refused as a duplicate");
    if (code == 10 || (code >= 200 && code <= 299)) {
        return failure(FailureClass::permanent, "permission_missing", "lacks a permission");
    }
    if (!g) return failure(FailureClass::permanent, fmt::format("http_{}", r.status), "failed");
    return failure(FailureClass::permanent, fmt::format("graph_error_{}", code), "was refused");
}

http::HttpRequest form_post(std::string url, http::Params params, std::string_view token) {
    params.emplace_back("access_token", std::string(token));
    http::HttpRequest req;
    req.method = "POST";
    req.url = std::move(url);
    req.headers.add("Content-Type", "application/x-www-form-urlencoded");
    req.body = http::encode_params(params);
    return req;
}

http::HttpRequest get(std::string url, http::Params params, std::string_view token) {
    params.emplace_back("access_token", std::string(token));
    http::HttpRequest req;
    req.method = "GET";
    req.url = http::with_query(std::move(url), params);
    return req;
}

std::optional<std::string> parse_id(std::string_view body) {
    auto j = parse_json(body);
    if (!j) return std::nullopt;
    return nonempty_string_member(*j, "id");
}

}  // namespace growth::publish::meta
