#pragma once
// vault.status / vault.unlock / vault.lock / vault.rekey (DESIGN.md §6): a vault sealed with a
// passphrase starts locked and opens with `growthctl unlock`; `growthctl vault rekey` seals the
// data key under a passphrase or a key file. Argon2id runs off the loop, one at a time.

#include <filesystem>
#include <functional>

#include "core/rpc/method_table.hpp"
#include "core/secrets/vault.hpp"
#include "daemon/event_loop.hpp"

namespace growth::daemon {

struct VaultServices {
    EventLoop& loop;
    secrets::Vault& vault;
    std::filesystem::path key_file;  ///< where `rekey --key-file` keeps (or finds) the key
    std::function<std::size_t()> on_unlocked;  ///< continues the targets that waited for the vault; how many
    bool kdf_running = false;           ///< one Argon2id at a time (each takes its memory)
};

/// Adds the vault.* methods to `table`. `services` must outlive it. Throws std::logic_error when
/// a name is taken.
void add_vault_methods(rpc::MethodTable& table, VaultServices& services);

/// vault.status's result (also part of daemon.status). Throws Error("vault_error").
rpc::Json vault_status_json(VaultServices& services);

}  // namespace growth::daemon
