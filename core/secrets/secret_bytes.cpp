#include "core/secrets/secret_bytes.hpp"

#include <sodium.h>

#include <new>
#include <utility>

#include "core/error.hpp"

namespace growth::secrets {

Key::Key() {
    ensure_sodium();  // sodium_malloc needs the page size sodium_init() learns
    bytes_ = static_cast<unsigned char*>(::sodium_malloc(key_bytes));
    if (bytes_ == nullptr) throw std::bad_alloc();
    ::sodium_memzero(bytes_, key_bytes);
}

Key::Key(Key&& other) noexcept : bytes_(std::exchange(other.bytes_, nullptr)) {}

Key& Key::operator=(Key&& other) noexcept {
    if (this != &other) {
        if (bytes_ != nullptr) ::sodium_free(bytes_);
        bytes_ = std::exchange(other.bytes_, nullptr);
    }
    return *this;
}

// sodium_free wipes the bytes, unlocks and unmaps them.
Key::~Key() {
    if (bytes_ != nullptr) ::sodium_free(bytes_);
}

Key Key::random() {
    Key k;
    ::randombytes_buf(k.bytes_, key_bytes);
    return k;
}

void ensure_sodium() {
    if (::sodium_init() < 0) throw Error("vault_error", "cannot initialise libsodium");
}

void wipe(void* p, std::size_t size) noexcept {
    if (p != nullptr && size > 0) ::sodium_memzero(p, size);
}

}  // namespace growth::secrets
