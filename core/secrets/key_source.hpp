#pragma once
// Where the vault's key-encryption key comes from. The vault's data key is sealed under it, so a
// passphrase (Argon2id) or a systemd credential can replace the key file without re-sealing
// every secret: only the wrapped data key changes.

#include <string>

#include "core/secrets/secret_bytes.hpp"

namespace growth::secrets {

/// A source of the 256-bit key-encryption key (KEK). Loop thread only.
class KeySource {
public:
    virtual ~KeySource() = default;

    /// Stable name stored in the vault ("key_file"; later "passphrase", "credential").
    virtual std::string kind() const = 0;

    /// For messages: what the key is, e.g. "key file /home/u/.config/growth/vault.key".
    virtual std::string describe() const = 0;

    /// True when the key already exists (a key file on disk). Throws nothing.
    virtual bool exists() const = 0;

    /// The KEK. `params` are this source's parameters as stored in the vault (a salt and
    /// Argon2id limits for a passphrase; unused by the key file), empty for a new vault: a source
    /// that needs parameters then chooses them and writes them to `params`. `create` is true
    /// only for a new vault: the source may then create its key (the key file). Throws
    /// growth::Error("vault_error") naming the source and what is wrong.
    virtual Key key(std::string& params, bool create) = 0;
};

}  // namespace growth::secrets
