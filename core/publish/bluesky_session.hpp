#pragma once
// The Bluesky app-password session dance shared by the post and who-am-I machines
// (internal to core/publish): createSession, refreshSession, and recognising token errors.

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "core/http/message.hpp"
#include "core/publish/types.hpp"

namespace growth::publish::bluesky::detail {

/// `{"error","message"}` of an XRPC error body (either may be empty).
struct XrpcError {
    std::string name;
    std::string message;
};

/// Reads an XRPC error body; empty fields when it is not one. Never throws beyond bad_alloc.
XrpcError parse_xrpc_error(std::string_view body);

/// True when `r` says the access JWT is no longer good: HTTP 400/401 with error ExpiredToken or
/// InvalidToken, or HTTP 401 (AuthMissing/AuthRequired). Never throws beyond bad_alloc.
bool is_token_error(const http::HttpResponse& r);

/// POST com.atproto.server.createSession with the identifier and app password.
http::HttpRequest create_session_request(const Account& account);

/// POST com.atproto.server.refreshSession with the refresh JWT.
http::HttpRequest refresh_session_request(const Account& account, const BlueskySession& session);

/// Parses a createSession/refreshSession answer into a session (keeping `previous.did`/handle
/// when the answer omits them) or a classified Failure. A refusal of the credentials is
/// needs_login; nothing was posted, so transport errors and 5xx are retry_safe. Never throws
/// beyond std::bad_alloc.
std::variant<BlueskySession, Failure> parse_session(const http::Outcome& outcome, bool refreshing,
                                                    const BlueskySession& previous,
                                                    const Account& account, Instant now);

/// The XRPC URL of `method` on the account's PDS.
std::string xrpc_url(const Account& account, std::string_view method);

/// A generic classification of a non-2xx XRPC answer to `what` (token errors excluded):
/// 429 rate_limited, 5xx by `idempotent`, other 4xx permanent. Never throws beyond bad_alloc.
Failure classify_error(const http::HttpResponse& r, Instant now, std::string_view what,
                       bool idempotent, const Account& account, const BlueskySession& session);

}  // namespace growth::publish::bluesky::detail
