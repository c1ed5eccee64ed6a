#include "daemon/token_refresher.hpp"

#include <fmt/format.h>

#include "core/accounts/tokens.hpp"
#include "core/error.hpp"
#include "core/oauth/app.hpp"
#include "core/oauth/token.hpp"
#include "core/secrets/secret_bytes.hpp"
#include "daemon/log.hpp"

namespace growth::daemon {

namespace {

std::string login_again(const accounts::Account& account) {
    return fmt::format("log in again: growthctl account login {} --name {}", platform_name(account.platform),
                       account.name);
}

}  // namespace

TokenRefresher::TokenRefresher(secrets::SecretStore& secrets, http::Transport& transport,
                               std::function<const Config&()> config, std::function<std::int64_t()> now_ms)
    : secrets_(secrets), transport_(transport), config_(std::move(config)), now_ms_(std::move(now_ms)) {}

void TokenRefresher::ensure_fresh(const accounts::Account& account, bool force, Done done) {
    if (auto it = waiting_.find(account.name); it != waiting_.end()) {
        it->second.push_back(std::move(done));  // one refresh per account: wait for the running one
        return;
    }
    const accounts::TokenState state = accounts::token_state(secrets_, account);
    if (state.refresh_token.empty()) {
        if (force && account.platform == Platform::mastodon) {
            throw Error("bad_input", fmt::format("account {}: Mastodon's tokens do not expire; there is nothing to "
                                                 "refresh (account test checks it still works)",
                                                 account.name));
        }
        if (force) {
            throw Error("bad_input", fmt::format("account {} has no refresh token (its token was not given by "
                                                 "account login, or the platform grants none); {}",
                                                 account.name, login_again(account)));
        }
        return done(nullptr);
    }
    if (!force && !state.refresh_due(now_ms_())) return done(nullptr);

    const Config& config = config_();
    const auto configured = config.apps.find(account.platform);
    oauth::App app;
    try {
        app = oauth::resolve_app(account.platform,
                                 configured == config.apps.end() ? oauth::ConfiguredApp{} : configured->second);
    } catch (const Error& e) {
        return done(std::make_exception_ptr(
            Error("needs_auth", fmt::format("account {}: its token is due for a refresh but {}", account.name, e.what()))));
    }
    waiting_[account.name].push_back(std::move(done));
    http::HttpRequest request = oauth::refresh_request(app, state.refresh_token);
    secrets::wipe(app.client_secret.data(), app.client_secret.size());
    log(LogLevel::info, "account {}: refreshing its token", account.name);
    transport_.send(std::move(request), [this, account, used = std::string(state.refresh_token)](http::Outcome outcome) {
        finish(account, used, std::move(outcome));
    });
}

void TokenRefresher::finish(const accounts::Account& account, const std::string& used_refresh,
                            http::Outcome outcome) {
    std::exception_ptr result;
    try {
        oauth::TokenSet tokens = oauth::parse_token_outcome(outcome, account.platform, true);
        // A login (or account update) meanwhile replaced the tokens: theirs are newer.
        const accounts::TokenState now = accounts::token_state(secrets_, account);
        if (now.refresh_token == used_refresh) {
            accounts::save_refreshed(secrets_, account, tokens, now_ms_());
            log(LogLevel::info, "account {}: token refreshed{}", account.name,
                tokens.expires_in ? fmt::format(", valid {} s", *tokens.expires_in) : std::string());
        }
    } catch (const Error& e) {
        if (e.kind() == "login_refused") {
            log(LogLevel::warning, "account {}: the refresh was refused: {}", account.name, e.what());
            result = std::make_exception_ptr(
                Error("needs_auth", fmt::format("account {}: {}; {}", account.name, e.what(), login_again(account))));
        } else if (e.kind() == "vault_error" || e.kind() == "vault_locked") {
            result = std::current_exception();
        } else {
            log(LogLevel::warning, "account {}: the token could not be refreshed: {}", account.name, e.what());
            result = std::make_exception_ptr(
                Error("refresh_failed", fmt::format("account {}: the token could not be refreshed ({}); it is "
                                                    "tried again",
                                                    account.name, e.what())));
        }
    } catch (...) {
        result = std::current_exception();
    }
    auto node = waiting_.extract(account.name);
    if (node.empty()) return;
    for (auto& done : node.mapped()) done(result);
}

}  // namespace growth::daemon
