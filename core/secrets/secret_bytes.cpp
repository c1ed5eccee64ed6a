#include "core/secrets/secret_bytes.hpp"

#include <sodium.h>

#include "core/error.hpp"

namespace growth::secrets {

Key::Key(Key&& other) noexcept : bytes_(other.bytes_) {
    wipe(other.bytes_.data(), key_bytes);
}

Key& Key::operator=(Key&& other) noexcept {
    if (this != &other) {
        bytes_ = other.bytes_;
        wipe(other.bytes_.data(), key_bytes);
    }
    return *this;
}

Key::~Key() { wipe(bytes_.data(), key_bytes); }

Key Key::random() noexcept {
    Key k;
    // sodium_init() cannot fail once ensure_sodium() ran; randombytes works before it anyway.
    ::randombytes_buf(k.bytes_.data(), key_bytes);
    return k;
}

void ensure_sodium() {
    if (::sodium_init() < 0) throw Error("vault_error", "cannot initialise libsodium");
}

void wipe(void* p, std::size_t size) noexcept {
    if (p != nullptr && size > 0) ::sodium_memzero(p, size);
}

}  // namespace growth::secrets
