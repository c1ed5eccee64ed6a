#pragma once
// XChaCha20-Poly1305 (libsodium, IETF variant) sealing of one value: a random 192-bit nonce per
// value, stored in front of the ciphertext, and associated data the opener must present again.

#include <optional>
#include <string>
#include <string_view>

#include "core/secrets/secret_bytes.hpp"

namespace growth::secrets {

/// nonce (24 bytes) || ciphertext || tag (16 bytes) of `plaintext` under `key`, bound to `ad`.
/// Throws std::bad_alloc only.
std::string seal(const Key& key, std::string_view plaintext, std::string_view ad);

/// The plaintext of a seal() result, or nullopt when the key, the associated data or any byte
/// of `sealed` differs from what sealed it. Throws std::bad_alloc only.
std::optional<std::string> open(const Key& key, std::string_view sealed, std::string_view ad);

/// Associated data binding a vault value to its (account, field): length-prefixed so that no two
/// different pairs encode alike. Throws std::bad_alloc only.
std::string value_ad(std::string_view account, std::string_view field);

}  // namespace growth::secrets
