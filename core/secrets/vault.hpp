#pragma once
// The encrypted vault (DESIGN.md §6): vault.db, a SQLite file beside growth.db, holding each
// secret sealed with XChaCha20-Poly1305 under a 256-bit data key. The data key is stored
// wrapped (sealed) under the key source's key-encryption key.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <SQLiteCpp/Database.h>

#include "core/secrets/key_source.hpp"
#include "core/secrets/secret_store.hpp"

namespace growth::secrets {

/// What `growthctl vault status` shows.
struct VaultStatus {
    std::string key_source;  ///< "key_file" or "passphrase"
    bool locked = false;
    std::string key_params;  ///< the passphrase's KDF line; '' for a key file
    std::int64_t created_at = 0;
    std::int64_t rekeyed_at = 0;  ///< 0 when never rekeyed
    std::int64_t secrets = 0;     ///< sealed values stored
};

/// The vault. Loop thread only.
class Vault final : public SecretStore {
public:
    /// Opens or creates the vault at `db_path` (parent must exist; the file is made 0600) and
    /// runs its migrations. A new vault gets a fresh data key sealed under `key_file` (which may
    /// create its key); a vault sealed with a key file is unwrapped with it; a vault sealed with
    /// a passphrase opens locked (unlock_with). Throws growth::Error("vault_error") naming the
    /// file: a wrong key ("... does not open ..."), a missing or malformed key, a vault newer
    /// than this binary, or an SQLite failure. A wrong key writes nothing.
    Vault(const std::filesystem::path& db_path, std::unique_ptr<KeySource> key_file);
    ~Vault() override;

    /// True while the data key is not in memory: get/put/erase throw Error("vault_locked").
    bool locked() const noexcept { return locked_; }
    /// Which source seals the vault and how. Throws Error("vault_error").
    VaultStatus status();

    /// Unwraps the data key with `kek` (derived off the loop from the stored key_params).
    /// Throws Error("wrong_passphrase") when it does not open (nothing changes),
    /// Error("vault_error") on an SQLite failure.
    void unlock_with(const Key& kek);
    /// Wipes the data key from memory. Throws Error("bad_input") for a vault sealed with a key
    /// file (growthd would read the file again at once), Error("vault_locked") when locked.
    void lock();
    /// Seals the data key under `kek` of source `kind` ("key_file" | "passphrase") with
    /// `params`, in one transaction: a crash at any point leaves a vault that opens with the
    /// old key or the new one. Throws Error("vault_locked"), Error("vault_error").
    void rekey_with(std::string_view kind, std::string_view params, const Key& kek);
    /// Test seam: called at each step of rekey_with ("sealed", "written", "committed").
    std::function<void(std::string_view step)> on_rekey_step;

    void put(std::string_view account, std::string_view field, std::string_view value) override;
    std::optional<std::string> get(std::string_view account, std::string_view field) override;
    void erase_account(std::string_view account) override;

    const std::filesystem::path& path() const noexcept { return path_; }
    /// The schema version of vault.db (PRAGMA user_version). Throws Error("vault_error").
    int user_version();
    /// The newest vault schema this binary knows.
    static int latest_version() noexcept;

private:
    void open_database();
    void unlock();
    void require_unlocked() const;
    bool unwrap(const Key& kek, std::string_view wrapped);
    template <typename F>
    auto guarded(F&& f) -> decltype(f());

    std::filesystem::path path_;
    std::unique_ptr<KeySource> source_;
    std::unique_ptr<SQLite::Database> db_;
    Key data_key_;
    bool locked_ = true;
};

}  // namespace growth::secrets
