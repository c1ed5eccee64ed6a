#pragma once
// The token endpoint (RFC 6749 §4.1.3 / §5): exchanging the callback's code for tokens, and
// reading the answer. A pure request builder and response parser; the daemon sends it.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/http/message.hpp"
#include "core/oauth/app.hpp"

namespace growth::oauth {

/// What a token endpoint granted. Holds secrets: wiped on destruction; never logged.
struct TokenSet {
    std::string access_token;
    std::string refresh_token;             ///< empty: none granted
    std::optional<std::int64_t> expires_in;  ///< seconds; nullopt: the token does not expire
    std::string scope;                     ///< as granted (may be empty)
    std::string user_id;                   ///< Threads: the user the token is for (digits; may be empty)

    TokenSet() = default;
    TokenSet(const TokenSet&) = delete;
    TokenSet& operator=(const TokenSet&) = delete;
    TokenSet(TokenSet&&) = default;
    TokenSet& operator=(TokenSet&&) = default;
    ~TokenSet();
};

/// The authorization URL the person opens: response_type=code, client_id, redirect_uri, scope,
/// state and (where app.pkce) code_challenge with code_challenge_method=S256.
/// Throws std::bad_alloc only.
std::string authorize_url(const App& app, std::string_view redirect_uri, std::string_view state,
                          std::string_view challenge);

/// The code exchange: POST app.token_url, form grant_type=authorization_code, code,
/// redirect_uri, code_verifier (where app.pkce), and the client as app.auth says. Carries
/// secrets: never log it. Throws std::bad_alloc only.
http::HttpRequest code_exchange_request(const App& app, std::string_view code, std::string_view verifier,
                                        std::string_view redirect_uri);

/// A refresh (RFC 6749 §6): POST app.token_url, form grant_type=refresh_token, refresh_token, and
/// the client as for the code exchange; Threads' own refresh (meta_login.hpp) for Threads.
/// Carries secrets: never log it. Throws std::bad_alloc.
http::HttpRequest refresh_request(const App& app, std::string_view refresh_token);

/// The tokens in the token endpoint's answer. Throws growth::Error:
/// ("login_refused") for an OAuth error answer (`invalid_grant`: the code was used or expired),
/// naming the platform's error and description; ("platform_error") for no answer, a non-JSON
/// or malformed answer, a missing, empty, oversized or non-printable access_token. Messages
/// never contain a token.
/// Meta's Graph error answers are read as OAuth error answers. On Threads, whose long-lived token
/// refreshes itself, refresh_token is set to the access token.
/// With `refresh`, messages speak of the refresh and do not ask to log in again (the caller
/// decides that).
TokenSet parse_token_outcome(const http::Outcome& outcome, Platform platform, bool refresh = false);

}  // namespace growth::oauth
