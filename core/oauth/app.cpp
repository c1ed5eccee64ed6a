#include "core/oauth/app.hpp"

#include <fmt/format.h>

#include "core/error.hpp"

namespace growth::oauth {

namespace {

struct Defaults {
    const char* portal;  ///< where a person registers the app
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
        return Defaults{"the X developer portal", "https://x.com/i/oauth2/authorize", "https://api.x.com/2/oauth2/token",
                        "tweet.read tweet.write users.read offline.access", ClientAuth::basic, false,
                        true};
    case Platform::linkedin:
        return Defaults{"LinkedIn's developer portal", "https://www.linkedin.com/oauth/v2/authorization",
                        "https://www.linkedin.com/oauth/v2/accessToken", "openid profile w_member_social",
                        ClientAuth::secret_body, true, false};
    // Facebook Login (platforms.md §3.1, §4.1 B): the code and the long-lived exchange are GETs
    // with the app secret in the query; Instagram publishes through the Page's business account.
    case Platform::facebook:
        return Defaults{"Meta's developer portal", "https://www.facebook.com/v25.0/dialog/oauth",
                        "https://graph.facebook.com/v25.0/oauth/access_token",
                        "pages_show_list,pages_manage_posts,pages_read_engagement,pages_manage_engagement",
                        ClientAuth::secret_query, true, false};
    case Platform::instagram:
        return Defaults{"Meta's developer portal", "https://www.facebook.com/v25.0/dialog/oauth",
                        "https://graph.facebook.com/v25.0/oauth/access_token",
                        "instagram_basic,instagram_content_publish,instagram_manage_comments,pages_show_list,"
                        "pages_read_engagement",
                        ClientAuth::secret_query, true, false};
    case Platform::threads:
        return Defaults{"Meta's developer portal, using the Threads use case's own app id and secret",
                        "https://threads.net/oauth/authorize", "https://graph.threads.net/oauth/access_token",
                        "threads_basic,threads_content_publish,threads_manage_replies,threads_read_replies",
                        ClientAuth::secret_body, true, false};
    default: return std::nullopt;
    }
}

}  // namespace

bool login_supported(Platform platform) noexcept {
    return platform != Platform::bluesky;
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
        // Bluesky: growthctl logs in with an app password (account.add / account.update).
        throw Error("bad_input", "Bluesky has no OAuth login in growth (atproto OAuth is not supported yet): "
                                 "log in with an app password, growthctl account login bluesky --handle HANDLE");
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
                                platform_title(platform), d->portal, redirect, d->secret_required ? " and client_secret" : "", name));
    }
    app.auth = app.client_secret.empty() ? ClientAuth::none : d->auth_with_secret;
    return app;
}

}  // namespace growth::oauth
