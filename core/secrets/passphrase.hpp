#pragma once
// The passphrase key source (DESIGN.md §6): the key-encryption key is Argon2id (libsodium's
// crypto_pwhash, version 1.3, one lane) of the passphrase, with a random 128-bit salt. Its
// parameters live in the vault beside the wrapped data key, as one line of text:
//   argon2id;v=19;ops=3;mem=268435456;salt=BASE64
// and are bounded on reading, so a changed vault cannot make growthd allocate without limit.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/secrets/key_source.hpp"

namespace growth::secrets {

/// Argon2id's cost: passes over memory and memory in bytes.
struct KdfCost {
    std::uint64_t ops = 3;            ///< libsodium's MODERATE
    std::uint64_t memory = 256 << 20;  ///< bytes; libsodium's MODERATE (256 MiB)
};

/// What a vault accepts: 1..16 passes, 8 MiB..1 GiB of memory. A cost outside is refused both
/// when chosen (bad_input) and when read back from a vault (vault_error: changed on disk).
inline constexpr std::uint64_t kdf_min_ops = 1, kdf_max_ops = 16;
inline constexpr std::uint64_t kdf_min_memory = 8ull << 20, kdf_max_memory = 1ull << 30;

/// Passphrases are 1..1024 bytes when unlocking; a new one must have at least 8 characters.
inline constexpr std::size_t passphrase_max_bytes = 1024;
inline constexpr std::size_t passphrase_min_chars = 8;

/// One vault's KDF parameters.
struct KdfParams {
    KdfCost cost;
    std::string salt;  ///< 16 raw bytes
};

/// Fresh parameters with a random salt. Throws Error("bad_input") naming the cost outside the
/// bounds above.
KdfParams new_kdf_params(KdfCost cost);

/// The stored line of `p`. Throws std::bad_alloc.
std::string encode_kdf_params(const KdfParams& p);

/// Parses a stored line. Throws Error("vault_error") naming what is malformed or out of bounds.
KdfParams parse_kdf_params(std::string_view line);

/// Argon2id of `passphrase` under `p`: the 256-bit key-encryption key. Runs for as long as the
/// cost says (about a second at the default): call it off the event loop. Throws
/// Error("bad_input") for an empty or too long passphrase, Error("vault_error") when libsodium
/// cannot get the memory.
Key derive_kek(std::string_view passphrase, const KdfParams& p);

/// Refuses a passphrase too short or too long to become a vault's new one, or holding a line
/// break or NUL (a prompt could never type it again). Throws Error("bad_input").
void check_new_passphrase(std::string_view passphrase);

/// A passphrase as a KeySource: for a new vault (params empty) it chooses parameters with
/// `cost` and writes them to `params`. Holds the passphrase until destroyed, then wipes it.
class PassphraseSource final : public KeySource {
public:
    PassphraseSource(std::string passphrase, KdfCost cost = {});
    ~PassphraseSource() override;
    PassphraseSource(const PassphraseSource&) = delete;
    PassphraseSource& operator=(const PassphraseSource&) = delete;

    std::string kind() const override { return "passphrase"; }
    std::string describe() const override { return "passphrase"; }
    bool exists() const override { return true; }
    Key key(std::string& params, bool create) override;

private:
    std::string passphrase_;
    KdfCost cost_;
};

}  // namespace growth::secrets
