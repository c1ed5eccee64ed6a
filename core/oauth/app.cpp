#include "core/oauth/app.hpp"

#include <fmt/format.h>

#include "core/error.hpp"

namespace growth::oauth {

namespace {

struct Defaults {
    const char* authorize_url;
    const char* token_url;
    const char* scopes;
    ClientAuth auth_with_secret;  ///< how a configured client_secret is sent
    bool secret_required;
    bool pkce;
};

std::optional<Defaults> defaults_for(Platform platform) {
    switch (platform) {
    case Platform::x:
        return Defaults{"https://x.com/i/oauth2/authorize", "https://api.x.com/2/oauth2/token",
                        "tweet.read tweet.write users.read offline.access", ClientAuth::basic, false,
                        true};
    case Platform::linkedin:
        return Defaults{"https://www.linkedin.com/oauth/v2/authorization",
                        "https://www.linkedin.com/oauth/v2/accessToken", "openid profile w_member_social",
                        ClientAuth::secret_body, true, false};
    default: return std::nullopt;
    }
}

// What `account add` needs for a platform login does not drive.
const char* add_options(Platform platform) {
    switch (platform) {
    case Platform::bluesky: return "--handle HANDLE --app-password-file FILE";
    case Platform::mastodon: return "--instance URL --token-file FILE";
    case Platform::facebook: return "--page-id ID --token-file FILE";
    case Platform::instagram: return "--ig-user-id ID --token-file FILE";
    default: return "--token-file FILE";
    }
}

}  // namespace

bool login_supported(Platform platform) noexcept {
    return platform == Platform::x || platform == Platform::linkedin || platform == Platform::mastodon;
}

std::string redirect_uri(int port) { return fmt::format("http://127.0.0.1:{}/callback", port); }

App resolve_app(Platform platform, const ConfiguredApp& configured) {
    const auto d = defaults_for(platform);
    const std::string name(platform_name(platform));
    if (platform == Platform::mastodon) {
        throw Error("bad_input", "Mastodon's app is registered on each instance when someone logs in there; "
                                 "its tokens do not expire");
    }
    if (!d) {
        throw Error("bad_input",
                    fmt::format("account login does not support {} yet; add the account with {} you obtained "
                                "elsewhere: growthctl account add {} --name NAME {}",
                                name, platform == Platform::bluesky ? "an app password" : "a token", name,
                                add_options(platform)));
    }
    App app;
    app.platform = platform;
    app.client_id = configured.client_id;
    app.client_secret = configured.client_secret;
    app.authorize_url = configured.authorize_url.empty() ? d->authorize_url : configured.authorize_url;
    app.token_url = configured.token_url.empty() ? d->token_url : configured.token_url;
    app.scopes = configured.scopes.empty() ? d->scopes : configured.scopes;
    app.redirect_port = configured.redirect_port.value_or(default_redirect_port);
    app.pkce = d->pkce;
    const std::string redirect =
        app.redirect_port == 0 ? "http://127.0.0.1:PORT/callback" : redirect_uri(app.redirect_port);
    if (app.client_id.empty() || (d->secret_required && app.client_secret.empty())) {
        throw Error("login_unconfigured",
                    fmt::format("no {} app is configured for login: register one with {} (redirect URL "
                                "{}), then set client_id{} under [platforms.{}] in config.toml "
                                "(README: Logging in)",
                                platform_title(platform), name == "x" ? "the X developer portal" : "LinkedIn's developer portal",
                                redirect, d->secret_required ? " and client_secret" : "", name));
    }
    app.auth = app.client_secret.empty() ? ClientAuth::none : d->auth_with_secret;
    return app;
}

}  // namespace growth::oauth
