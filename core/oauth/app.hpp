#pragma once
// The OAuth 2.0 client ("app") growth logs in with on a platform: the platform's real endpoints
// and scopes (platforms.md §N.1) under what the person configured in [platforms.NAME]. No client
// id or secret ships in the source: each person registers their own app.

#include <optional>
#include <string>

#include "core/platform.hpp"

namespace growth::oauth {

/// [platforms.NAME] as configured; an empty field (or port nullopt) means the platform default.
struct ConfiguredApp {
    std::string client_id;
    std::string client_secret;  ///< a secret: never logged, never in a message
    std::string authorize_url;
    std::string token_url;
    std::string scopes;  ///< space separated
    std::string api_base;  ///< a new account's API base URL when the login names none
    std::optional<int> redirect_port;  ///< 0: an ephemeral port
};

/// How the client proves itself at the token endpoint.
enum class ClientAuth {
    none,         ///< a public client: client_id in the body (X native apps)
    basic,        ///< Authorization: Basic base64(id:secret) (X confidential apps)
    secret_body,  ///< client_id and client_secret in the form body (LinkedIn, Threads)
    secret_query, ///< a GET with client_id and client_secret in the query (Facebook Login)
};

/// Everything a login needs, defaults filled in.
struct App {
    Platform platform = Platform::x;
    std::string client_id;
    std::string client_secret;
    std::string authorize_url;
    std::string token_url;
    std::string scopes;
    int redirect_port = 0;
    ClientAuth auth = ClientAuth::none;
    bool pkce = true;  ///< send code_challenge / code_verifier
};

/// The port growth listens on for the callback unless [platforms.NAME] redirect_port says
/// otherwise: platforms match the registered redirect URL exactly, port included.
inline constexpr int default_redirect_port = 8765;

/// True for the platforms `account login` drives with OAuth (all but Bluesky, whose login is its
/// app password). Throws nothing.
bool login_supported(Platform platform) noexcept;

/// The app for `platform` (x, linkedin, facebook, instagram, threads; Mastodon's come from
/// core/oauth/mastodon_app.hpp) from
/// its [platforms.NAME] settings and the platform's defaults.
/// Throws growth::Error("bad_input") for a platform login does not support yet (naming
/// `account add --token-file` instead), and ("login_unconfigured") when no client_id is set (or
/// no client_secret where the platform needs one), naming the config keys and the redirect URL
/// to register. Never puts the secret into a message.
App resolve_app(Platform platform, const ConfiguredApp& configured);

/// The redirect URL registered with the platform: http://127.0.0.1:PORT/callback.
/// Throws std::bad_alloc only.
std::string redirect_uri(int port);

}  // namespace growth::oauth
