#pragma once
// Fixed-size key material that is wiped when it goes away.

#include <array>
#include <cstddef>

namespace growth::secrets {

/// Size of every key growth's vault uses (XChaCha20-Poly1305 keys are 256 bits).
inline constexpr std::size_t key_bytes = 32;

/// A 256-bit key. Wiped with sodium_memzero on destruction and when moved from; not copyable,
/// so a key is never left behind in a temporary.
class Key {
public:
    Key() noexcept = default;
    Key(const Key&) = delete;
    Key& operator=(const Key&) = delete;
    Key(Key&& other) noexcept;
    Key& operator=(Key&& other) noexcept;
    ~Key();

    unsigned char* data() noexcept { return bytes_.data(); }
    const unsigned char* data() const noexcept { return bytes_.data(); }
    static constexpr std::size_t size() noexcept { return key_bytes; }

    /// A fresh random key (libsodium's CSPRNG). Throws nothing.
    static Key random() noexcept;

private:
    std::array<unsigned char, key_bytes> bytes_{};
};

/// Initialises libsodium (idempotent). Throws Error("vault_error") when it cannot.
void ensure_sodium();

/// Wipes `size` bytes at `p` in a way the compiler cannot optimise away. Throws nothing.
void wipe(void* p, std::size_t size) noexcept;

}  // namespace growth::secrets
