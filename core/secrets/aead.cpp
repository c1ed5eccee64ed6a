#include "core/secrets/aead.hpp"

#include <sodium.h>

#include <cstdint>

namespace growth::secrets {

namespace {

constexpr std::size_t nonce_bytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr std::size_t tag_bytes = crypto_aead_xchacha20poly1305_ietf_ABYTES;

const unsigned char* bytes(std::string_view s) noexcept {
    return reinterpret_cast<const unsigned char*>(s.data());
}

void append_length(std::string& out, std::size_t n) {
    for (int shift = 56; shift >= 0; shift -= 8) {
        out.push_back(static_cast<char>((static_cast<std::uint64_t>(n) >> shift) & 0xff));
    }
}

}  // namespace

std::string seal(const Key& key, std::string_view plaintext, std::string_view ad) {
    std::string out(nonce_bytes + plaintext.size() + tag_bytes, '\0');
    auto* nonce = reinterpret_cast<unsigned char*>(out.data());
    ::randombytes_buf(nonce, nonce_bytes);
    unsigned long long written = 0;
    ::crypto_aead_xchacha20poly1305_ietf_encrypt(nonce + nonce_bytes, &written, bytes(plaintext),
                                                 plaintext.size(), bytes(ad), ad.size(), nullptr,
                                                 nonce, key.data());
    out.resize(nonce_bytes + static_cast<std::size_t>(written));
    return out;
}

std::optional<std::string> open(const Key& key, std::string_view sealed, std::string_view ad) {
    if (sealed.size() < nonce_bytes + tag_bytes) return std::nullopt;
    std::string plain(sealed.size() - nonce_bytes - tag_bytes, '\0');
    unsigned long long written = 0;
    const int rc = ::crypto_aead_xchacha20poly1305_ietf_decrypt(
        reinterpret_cast<unsigned char*>(plain.data()), &written, nullptr,
        bytes(sealed) + nonce_bytes, sealed.size() - nonce_bytes, bytes(ad), ad.size(),
        bytes(sealed), key.data());
    if (rc != 0) {
        wipe(plain.data(), plain.size());
        return std::nullopt;
    }
    plain.resize(static_cast<std::size_t>(written));
    return plain;
}

std::string value_ad(std::string_view account, std::string_view field) {
    std::string ad = "growth-vault-value-v1";
    append_length(ad, account.size());
    ad += account;
    append_length(ad, field.size());
    ad += field;
    return ad;
}

}  // namespace growth::secrets
