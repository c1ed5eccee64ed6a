#pragma once
// Keeping logged-in accounts' tokens fresh: before a token's refresh time (90% of its life) runs
// out, the next user of the account (a post's run, account.test, account.refresh) first asks the
// platform's token endpoint for a new one. One refresh per account at a time; everyone else who
// needs the account meanwhile waits for it. A rotated refresh token reaches the vault before the
// new access token is used (core/accounts/tokens.hpp save_refreshed).

#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/accounts/accounts.hpp"
#include "core/config/config.hpp"
#include "core/http/transport.hpp"
#include "core/secrets/secret_store.hpp"

namespace growth::daemon {

class TokenRefresher {
public:
    /// Receives nullptr when the account's token may be used (fresh, refreshed, or one growth
    /// cannot refresh: it was given by hand), else the refresh's failure: growth::Error
    /// ("needs_auth": refused for good, the message says how to log in again; "refresh_failed":
    /// the token endpoint did not answer usefully, try later).
    using Done = std::function<void(std::exception_ptr)>;

    TokenRefresher(secrets::SecretStore& secrets, http::Transport& transport, std::function<const Config&()> config,
                   std::function<std::int64_t()> now_ms);

    /// Refreshes the account's token when its refresh time has come (or always with `force`,
    /// when it has a refresh token), then calls `done`; calls it at once (synchronously) when
    /// nothing is to be done or no app is configured to refresh with (needs_auth). Throws growth::Error("vault_error" | "vault_locked") when the
    /// vault cannot be read, and ("bad_input") for a forced refresh of an account without a
    /// refresh token.
    void ensure_fresh(const accounts::Account& account, bool force, Done done);

    /// Refreshes running now (for status and tests).
    std::size_t in_flight() const noexcept { return waiting_.size(); }

private:
    void finish(const accounts::Account& account, const std::string& used_refresh, http::Outcome outcome);

    secrets::SecretStore& secrets_;
    http::Transport& transport_;
    std::function<const Config&()> config_;
    std::function<std::int64_t()> now_ms_;
    std::map<std::string, std::vector<Done>> waiting_;  ///< by account name: who waits for its refresh
};

}  // namespace growth::daemon
