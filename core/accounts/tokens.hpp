#pragma once
// The OAuth tokens of an account that logged in (`account login`): the refresh token and when
// the access token expires and should be refreshed, kept in the vault beside the access token.

#include <cstdint>
#include <optional>
#include <string>

#include "core/accounts/accounts.hpp"
#include "core/oauth/token.hpp"
#include "core/secrets/secret_store.hpp"

namespace growth::accounts {

/// What the vault holds about an account's token besides the token itself. Holds a secret:
/// wiped on destruction.
struct TokenState {
    std::string refresh_token;              ///< empty: none (a token given by hand, or none granted)
    std::optional<std::int64_t> expires_at;  ///< Unix ms; nullopt: does not expire (or unknown)
    std::optional<std::int64_t> refresh_at;  ///< Unix ms: refresh from then on

    TokenState() = default;
    TokenState(const TokenState&) = delete;
    TokenState& operator=(const TokenState&) = delete;
    TokenState(TokenState&&) = default;
    TokenState& operator=(TokenState&&) = default;
    ~TokenState();

    /// True when a refresh is due at `now_ms` and possible (there is a refresh token).
    bool refresh_due(std::int64_t now_ms) const noexcept {
        return !refresh_token.empty() && refresh_at && now_ms >= *refresh_at;
    }
};

/// Reads the account's token state. Throws growth::Error("vault_error" | "vault_locked").
TokenState token_state(secrets::SecretStore& secrets, const Account& account);

/// When a token granted at `now_ms` for `expires_in` seconds is refreshed: after 90% of its
/// lifetime (at least one minute before it expires where it lives longer than that).
std::int64_t refresh_time(std::int64_t now_ms, std::int64_t expires_in_s) noexcept;

/// Stores what a token endpoint granted at `now_ms` for an account whose access token is
/// already stored (a login): the refresh token (erased when none was granted) and the expiry.
/// Throws growth::Error("vault_error" | "vault_locked").
void save_token_details(secrets::SecretStore& secrets, const Account& account, const oauth::TokenSet& tokens,
                        std::int64_t now_ms);

/// Stores a refresh's answer: a rotated refresh token first (a crash after it leaves the old
/// access token, which still works), then the new access token, then its expiry. A refresh
/// answer without a refresh token keeps the old one (LinkedIn does not rotate).
/// Throws growth::Error("vault_error" | "vault_locked").
void save_refreshed(secrets::SecretStore& secrets, const Account& account, const oauth::TokenSet& tokens,
                    std::int64_t now_ms);

}  // namespace growth::accounts
