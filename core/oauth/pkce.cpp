#include "core/oauth/pkce.hpp"

#include <sodium.h>

#include <array>

namespace growth::oauth {

namespace {

std::string base64url(const unsigned char* bytes, std::size_t n) {
    std::string out(sodium_base64_encoded_len(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
    sodium_bin2base64(out.data(), out.size(), bytes, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    out.resize(out.find('\0'));
    return out;
}

std::string random_token() {
    std::array<unsigned char, 32> bytes{};
    randombytes_buf(bytes.data(), bytes.size());
    std::string out = base64url(bytes.data(), bytes.size());
    sodium_memzero(bytes.data(), bytes.size());
    return out;
}

}  // namespace

Pkce make_pkce() {
    Pkce p;
    p.verifier = random_token();
    p.challenge = s256_challenge(p.verifier);
    return p;
}

std::string s256_challenge(std::string_view verifier) {
    std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
    crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(verifier.data()),
                       verifier.size());
    return base64url(digest.data(), digest.size());
}

std::string make_state() { return random_token(); }

bool same_state(std::string_view expected, std::string_view received) noexcept {
    if (expected.size() != received.size() || expected.empty()) return false;
    return sodium_memcmp(expected.data(), received.data(), expected.size()) == 0;
}

}  // namespace growth::oauth
