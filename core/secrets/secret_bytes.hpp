#pragma once
// Fixed-size key material that is wiped when it goes away.

#include <cstddef>

namespace growth::secrets {

/// Size of every key growth's vault uses (XChaCha20-Poly1305 keys are 256 bits).
inline constexpr std::size_t key_bytes = 32;

/// A 256-bit key in memory of its own from sodium_malloc: locked (never swapped out, kept out of
/// core dumps where the kernel allows), guarded by inaccessible pages, wiped when freed. Not
/// copyable, so a key is never left behind in a temporary; a moved-from key holds nothing and may
/// only be assigned to or destroyed.
class Key {
public:
    /// A zero key. Throws std::bad_alloc when no guarded memory can be had, Error("vault_error")
    /// when libsodium cannot be initialised.
    Key();
    Key(const Key&) = delete;
    Key& operator=(const Key&) = delete;
    Key(Key&& other) noexcept;
    Key& operator=(Key&& other) noexcept;
    ~Key();

    unsigned char* data() noexcept { return bytes_; }
    const unsigned char* data() const noexcept { return bytes_; }
    static constexpr std::size_t size() noexcept { return key_bytes; }

    /// A fresh random key (libsodium's CSPRNG). Throws as Key().
    static Key random();

private:
    unsigned char* bytes_ = nullptr;
};

/// Initialises libsodium (idempotent). Throws Error("vault_error") when it cannot.
void ensure_sodium();

/// Wipes `size` bytes at `p` in a way the compiler cannot optimise away. Throws nothing.
void wipe(void* p, std::size_t size) noexcept;

}  // namespace growth::secrets
