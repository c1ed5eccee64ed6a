#pragma once
// The account.* RPC methods (add, list, show, update, remove, test) and opening the secret store.

#include <filesystem>
#include <memory>

#include "core/http/transport.hpp"
#include "core/oauth/token.hpp"
#include "core/rpc/deferred.hpp"
#include "core/rpc/method_table.hpp"
#include "core/secrets/secret_store.hpp"
#include "core/secrets/vault.hpp"
#include "core/store/store.hpp"
#include "daemon/token_refresher.hpp"

namespace growth::daemon {

/// What the account.* handlers use. Every reference must outlive the method table.
struct AccountServices {
    Store& store;
    secrets::SecretStore& secrets;
    http::Transport& transport;
    TokenRefresher* refresher = nullptr;  ///< null: tokens are never refreshed (tests)
};

/// Registers account.add, account.list, account.show, account.update, account.remove and
/// account.test on `table`. account.test and account.update answer later
/// (rpc::MethodTable::add_deferred), after the who-am-I exchange through `services.transport`.
/// Throws std::logic_error when a name is already taken.
void add_account_methods(rpc::MethodTable& table, AccountServices& services);

/// Stores what `account login` obtained (daemon/login_methods.cpp); `params` are account.add's
/// without the secret. When an account named params.name exists, its token is replaced in place
/// as account.update does (the who-am-I must name the account's own user); otherwise the
/// account is added as account.add does, its X username or LinkedIn author learnt from the
/// who-am-I. The refresh token and the expiry go beside the access token in the vault. Answers
/// `reply` with the account (as account.show) plus "identity" and "replaced". Throws
/// growth::Error before anything is sent (bad params, store errors).
void store_login(AccountServices& services, rpc::Json params, std::shared_ptr<oauth::TokenSet> tokens,
                 rpc::Responder reply);

/// Opens the secret store for a data directory: `data_dir`/vault.db, its data key unwrapped with
/// the key file `key_file` (both created on first use: the key file 0600 in a 0700 directory);
/// a vault sealed with a passphrase opens locked. Throws growth::Error("vault_error") naming the
/// file and what is wrong (wrong key, unreadable or malformed key file, a vault newer than this
/// binary, ...).
std::unique_ptr<secrets::Vault> open_secret_store(const std::filesystem::path& data_dir,
                                                        const std::filesystem::path& key_file);

}  // namespace growth::daemon
