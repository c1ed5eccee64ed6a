#pragma once
// Shared by the Meta publishers (Facebook Pages, Instagram, Threads): Graph-style errors
// (platforms.md §3.5) and form-encoded requests carrying `access_token`.

#include <optional>
#include <string>
#include <string_view>

#include "core/http/encoding.hpp"
#include "core/http/message.hpp"
#include "core/publish/types.hpp"

namespace growth::publish::meta {

/// The `error` object of a Graph error body.
struct GraphError {
    std::string message;
    std::string type;
    long long code = 0;
    long long subcode = 0;
    bool is_transient = false;
};

/// Parses `{"error":{...}}`; nullopt when the body is not one. Never throws beyond bad_alloc.
std::optional<GraphError> parse_graph_error(std::string_view body);

/// Classifies a non-2xx Graph response to `what` ("Facebook post"). `applies` says whether the
/// request publishes something visible (a 5xx then is ambiguous); otherwise a 5xx is retry_safe.
/// By code: 190 or HTTP 401 -> needs_login; 4, 17, 32, 341, 613, 80000-80099 or HTTP 429 ->
/// rate_limited (reset from meta_reset); 1, 2 or is_transient -> retry_safe, or ambiguous
/// "transient" when `applies` (a temporary error on a create does not say it was not applied);
/// 506 -> permanent
/// "duplicate_content"; 10, 200-299 -> permanent "permission_missing"; others permanent.
/// `token` is redacted from messages. Never throws beyond std::bad_alloc.
Failure classify_error(const http::HttpResponse& r, Instant now, bool applies,
                       std::string_view what, std::string_view token);

/// A form POST to `url` with `params` plus `access_token`. Never throws beyond bad_alloc.
http::HttpRequest form_post(std::string url, http::Params params, std::string_view token);

/// A GET of `url` with `params` plus `access_token` in the query. Never throws beyond bad_alloc.
http::HttpRequest get(std::string url, http::Params params, std::string_view token);

/// The `id` string of a 2xx Graph body (`{"id":"..."}`), or nullopt. Never throws beyond bad_alloc.
std::optional<std::string> parse_id(std::string_view body);

}  // namespace growth::publish::meta
