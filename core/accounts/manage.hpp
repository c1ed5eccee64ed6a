#pragma once
// Adding and removing accounts (account.add / account.remove) and their JSON view.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/accounts/accounts.hpp"

namespace growth::accounts {

/// A validated account.add request. Holds secrets: wiped on destruction; never logged.
struct NewAccount {
    std::string name;
    publish::Platform platform = publish::Platform::x;
    std::string api_base;  ///< normalised (no trailing '/'); empty: the platform default
    Json settings = Json::object();
    std::string token;         ///< every platform but Bluesky
    std::string app_password;  ///< Bluesky
    /// LinkedIn without --author: the person URN is to be asked from the platform (userinfo)
    /// before the account is stored; see with_identity().
    bool discover_author = false;

    NewAccount() = default;
    NewAccount(const NewAccount&) = delete;
    NewAccount& operator=(const NewAccount&) = delete;
    NewAccount(NewAccount&&) = default;
    NewAccount& operator=(NewAccount&&) = default;
    ~NewAccount();
};

/// Parses the params of account.add: platform, name, api_base, token | app_password and the
/// platform's settings (x: username; linkedin: author; facebook: page_id; instagram: ig_user_id;
/// threads: user_id; mastodon: instance, max_characters; bluesky: handle, service; any: web_base).
/// Throws growth::Error("bad_input") naming the first problem (an unknown platform with a
/// did-you-mean, a setting another platform's, a missing secret, a malformed URL or id). Messages
/// never contain a secret.
/// With `allow_discovery`, a LinkedIn account without an author is accepted with
/// discover_author set instead.
NewAccount parse_new_account(const Json& params, bool allow_discovery = false);

/// The publisher's view of a new account (with its secret), for the who-am-I that discovers
/// settings before it is stored. Throws std::bad_alloc only.
publish::Account publisher_account(const NewAccount& account);

/// Fills the settings discovered from the platform's who-am-I `identity` (LinkedIn: the author
/// urn:li:person:{sub}) and clears discover_author. Throws Error("bad_input") when the identity
/// cannot give them.
void with_identity(NewAccount& account, const publish::Identity& identity);

/// X: fills the username from the who-am-I `identity` when the account has none (a login
/// learns it). Throws Error("bad_input") when X named no valid username.
void with_username(NewAccount& account, const publish::Identity& identity);

/// True when an account named `name` exists. Throws growth::Error("store_error").
bool exists(Store& store, std::string_view name);

/// Throws growth::Error("account_exists") when an account named `name` exists, ("store_error").
void check_name_free(Store& store, std::string_view name);

/// Stores `account`: its row in `store` and its secrets in `secrets`, all or nothing.
/// Throws growth::Error("account_exists") when the name is taken, ("bad_input") when the name is
/// another platform's name, ("store_error" | "vault_error" ...) when writing fails.
Account add(Store& store, secrets::SecretStore& secrets, const NewAccount& account,
            std::int64_t now_ms);

/// Removes the account named `name` and its secrets; its posts' targets keep their history
/// (account_id becomes NULL). Returns what was removed. The secrets are erased before the row's
/// deletion commits, so no interruption leaves a secret whose account is gone. Throws
/// growth::Error("account_not_found"), ("vault_error" | "vault_locked": nothing was changed),
/// ("store_error": the secrets may be gone, the row is not; removing again finishes it).
Account remove(Store& store, secrets::SecretStore& secrets, std::string_view name);

/// The secret fields stored for `account` (names only, e.g. ["access_token"]), in a fixed order.
/// Throws growth::Error("vault_error" | "vault_locked").
std::vector<std::string> secret_fields(const Account& account, secrets::SecretStore& secrets);

/// {"name","platform","api_base" (null for the default),"settings"}. Never contains secrets.
Json to_json(const Account& account);

}  // namespace growth::accounts
