#include "daemon/account_methods.hpp"

#include "core/error.hpp"

namespace growth::daemon {

// Work in progress: the handlers arrive in the next commits; the signatures are final.
void add_account_methods(rpc::MethodTable&, AccountServices&) {}

std::unique_ptr<secrets::SecretStore> open_secret_store(const std::filesystem::path&,
                                                        const std::filesystem::path&) {
    throw Error("vault_error", "the vault is not built yet");
}

}  // namespace growth::daemon
