#pragma once
// The encrypted vault (DESIGN.md §6): vault.db, a SQLite file beside growth.db, holding each
// secret sealed with XChaCha20-Poly1305 under a 256-bit data key. The data key is stored
// wrapped (sealed) under the key source's key-encryption key.

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <SQLiteCpp/Database.h>

#include "core/secrets/key_source.hpp"
#include "core/secrets/secret_store.hpp"

namespace growth::secrets {

/// The vault. Loop thread only.
class Vault final : public SecretStore {
public:
    /// Opens or creates the vault at `db_path` (parent must exist; the file is made 0600), runs
    /// its migrations, and unwraps the data key with `source` (creating the data key, and letting
    /// the source create its key, for a new vault). Throws growth::Error("vault_error") naming
    /// the file: a wrong key ("... does not open ..."), a missing or malformed key, a vault newer
    /// than this binary, or an SQLite failure. A wrong key writes nothing.
    Vault(const std::filesystem::path& db_path, std::unique_ptr<KeySource> source);
    ~Vault() override;

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

    std::filesystem::path path_;
    std::unique_ptr<KeySource> source_;
    std::unique_ptr<SQLite::Database> db_;
    Key data_key_;
};

}  // namespace growth::secrets
