#include "core/secrets/vault_schema.hpp"

#include <array>
#include <string_view>

namespace growth::secrets {

namespace {

// vault_key: the one data key, sealed under the key source's key-encryption key; `key_source`
// says which kind of source (a vault sealed with a passphrase is not opened with a key file);
// `key_params` holds that source's parameters (salt, Argon2id limits), '' for a key file.
// secrets: one row per (account, field); `sealed` = nonce || ciphertext || tag, bound to the
// pair by associated data, so a value copied to another row does not open.
constexpr std::string_view migration_0001 = R"sql(
CREATE TABLE vault_key (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    key_source  TEXT NOT NULL,
    key_params  TEXT NOT NULL DEFAULT '',
    wrapped_key BLOB NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE TABLE secrets (
    account     TEXT NOT NULL,
    field       TEXT NOT NULL,
    sealed      BLOB NOT NULL,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (account, field)
) WITHOUT ROWID;
)sql";

// rekeyed_at: when `growthctl vault rekey` last sealed the data key under a new source.
constexpr std::string_view migration_0002 = R"sql(
ALTER TABLE vault_key ADD COLUMN rekeyed_at INTEGER;
)sql";

}  // namespace

std::span<const Migration> vault_migrations() noexcept {
    static const std::array builtin = {
        Migration{1, "vault key and sealed secrets", migration_0001},
        Migration{2, "when the vault key was last rekeyed", migration_0002},
    };
    return builtin;
}

}  // namespace growth::secrets
