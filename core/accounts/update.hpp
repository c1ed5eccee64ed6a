#pragma once
// Giving an existing account a new secret in place (account.update): the row, its id and every
// target that points at it stay; only the sealed token (or Bluesky app password) is replaced.

#include <cstdint>
#include <optional>
#include <string>

#include "core/accounts/accounts.hpp"
#include "core/accounts/manage.hpp"

namespace growth::accounts {

/// A validated account.update request: the stored account and its new secret. Holds a secret:
/// wiped on destruction; never logged.
struct SecretUpdate {
    Account account;           ///< as stored when the request was parsed
    std::string token;         ///< every platform but Bluesky
    std::string app_password;  ///< Bluesky

    SecretUpdate() = default;
    SecretUpdate(const SecretUpdate&) = delete;
    SecretUpdate& operator=(const SecretUpdate&) = delete;
    SecretUpdate(SecretUpdate&&) = default;
    SecretUpdate& operator=(SecretUpdate&&) = default;
    ~SecretUpdate();
};

/// Parses the params of account.update: name, and token (every platform but Bluesky) or
/// app_password (Bluesky). Throws growth::Error("account_not_found") naming the account (with a
/// did-you-mean), ("bad_input") for no secret, both, the kind of secret the account's platform
/// does not use, or an empty / oversized / spaced one, ("store_error"). Messages never contain
/// a secret.
SecretUpdate parse_secret_update(Store& store, const Json& params);

/// The publisher's view of the account with its new secret and no stored session, for the
/// who-am-I that checks the secret before it is stored. Throws std::bad_alloc.
publish::Account publisher_account(const SecretUpdate& update);

/// Checks that the platform's who-am-I `identity` for the new secret is the account's own, where
/// the account names it: the X username, a LinkedIn person author, the Bluesky handle. Throws
/// growth::Error("bad_input") naming both when it is someone else.
void check_identity(const SecretUpdate& update, const publish::Identity& identity);

/// The same check for an account being added (account.add): the token must be the user the
/// account names. Throws growth::Error("bad_input") naming both.
void check_identity(const NewAccount& account, const publish::Identity& identity);

/// Replaces the account's secret in `secrets` (for Bluesky also its session, with `session`
/// when given), keeping its row and id, and stamps the row's updated_at with `now_ms`. All in
/// one store transaction that first checks that the account still is the one that was checked
/// (same id, name, platform, API base and settings).
/// Returns the account. Throws growth::Error("account_not_found") when it was removed (or
/// replaced) meanwhile, ("vault_error" | "vault_locked" | "store_error"): a failure before the
/// secret is written changes nothing.
Account update_secret(Store& store, secrets::SecretStore& secrets, const SecretUpdate& update,
                      const std::optional<publish::BlueskySession>& session, std::int64_t now_ms);

}  // namespace growth::accounts
