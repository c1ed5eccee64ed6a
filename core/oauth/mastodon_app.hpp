#pragma once
// Mastodon's per-instance OAuth app (platforms.md §6.1): every instance is its own authorization
// server, so growth registers an app on an instance the first time someone logs in there
// (POST /api/v1/apps) and keeps its client id and secret in the vault for later logins.

#include <string>
#include <string_view>

#include "core/http/message.hpp"
#include "core/oauth/app.hpp"

namespace growth::oauth {

/// The scopes asked for unless [platforms.mastodon] scopes says otherwise (`profile` needs
/// Mastodon 4.3; older servers take "read:accounts write:statuses write:media").
inline constexpr std::string_view mastodon_default_scopes = "profile write:statuses write:media";

/// An app registered on one instance for one redirect URI and scope set. Holds a secret: wiped
/// on destruction; never logged.
struct RegisteredClient {
    std::string client_id;
    std::string client_secret;
    std::string redirect_uri;
    std::string scopes;

    RegisteredClient() = default;
    RegisteredClient(const RegisteredClient&) = default;
    RegisteredClient& operator=(const RegisteredClient&) = default;
    RegisteredClient(RegisteredClient&&) = default;
    RegisteredClient& operator=(RegisteredClient&&) = default;
    ~RegisteredClient();
};

/// POST {instance}/api/v1/apps with client_name "growth", the redirect URI and the scopes
/// (JSON). Throws std::bad_alloc only.
http::HttpRequest registration_request(std::string_view instance, std::string_view redirect_uri,
                                       std::string_view scopes);

/// The client in the instance's answer, for `redirect_uri` and `scopes`. Throws growth::Error
/// ("platform_error") naming the instance for no answer, an error status (with the instance's
/// own `error` text) or an answer without client_id / client_secret.
RegisteredClient parse_registration(const http::Outcome& outcome, std::string_view instance,
                                    std::string_view redirect_uri, std::string_view scopes);

/// The login app on `instance` with `client`: /oauth/authorize and /oauth/token of the instance,
/// PKCE S256, the client secret in the form body. Throws std::bad_alloc only.
App mastodon_app(std::string_view instance, const RegisteredClient& client);

/// Where an instance's registered client lives in the vault (an "account" no account name can
/// be: names never hold ':'). Throws std::bad_alloc only.
std::string client_vault_key(std::string_view instance);

}  // namespace growth::oauth
