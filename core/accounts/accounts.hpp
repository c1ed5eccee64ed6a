#pragma once
// Accounts: named credentials for one platform each, rows in the store's `accounts` table with
// their secrets in a SecretStore.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/publish/types.hpp"
#include "core/json.hpp"
#include "core/secrets/secret_store.hpp"
#include "core/store/store.hpp"

namespace growth::accounts {

/// One account as stored (no secrets).
struct Account {
    std::int64_t id = 0;
    std::string name;
    publish::Platform platform = publish::Platform::x;
    std::string api_base;  ///< empty: the platform default
    Json settings;    ///< non-secret per-platform settings (user_id, username, instance, ...)
};

/// Every account, by name. Throws growth::Error("store_error").
std::vector<Account> list(Store& store);

/// The account named `name`. Throws growth::Error("account_not_found") naming it, with a
/// did-you-mean when a name is close.
Account get(Store& store, std::string_view name);

/// Resolves a `--to` word: an account name, else a platform name meaning that platform's only
/// account. Throws growth::Error("account_not_found") or ("account_ambiguous", listing the
/// candidate names).
Account resolve(Store& store, std::string_view to);

/// The publisher's view of `account` without its secrets: platform, API and web bases, and the
/// ids and names its publisher reads from the settings. Throws std::bad_alloc.
publish::Account publisher_settings(const Account& account);

/// The publisher's view of `account`, its secrets read from `secrets`.
/// Throws growth::Error("needs_auth") when a required secret is missing (naming the
/// `growthctl account update` that gives it one), ("vault_error" | "vault_locked").
publish::Account publisher_account(const Account& account, secrets::SecretStore& secrets);

/// Persists a Bluesky session the publisher obtained or refreshed (a Send's Checkpoint), before
/// the request that uses it goes out. Throws growth::Error("vault_error" | "vault_locked").
void save_session(secrets::SecretStore& secrets, const Account& account,
                  const publish::BlueskySession& session);

}  // namespace growth::accounts
