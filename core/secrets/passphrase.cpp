#include "core/secrets/passphrase.hpp"

#include <sodium.h>

#include <charconv>

#include <fmt/format.h>
#include <utf8proc.h>

#include "core/error.hpp"

namespace growth::secrets {

namespace {

constexpr std::string_view prefix = "argon2id;v=19;";
constexpr std::size_t salt_bytes = crypto_pwhash_argon2id_SALTBYTES;
static_assert(salt_bytes == 16);

[[noreturn]] void malformed(const std::string& what) {
    throw Error("vault_error", "the passphrase parameters in the vault are " + what +
                                   " (the file was changed or is damaged); nothing was changed");
}

std::uint64_t number_field(std::string_view& rest, std::string_view name) {
    if (rest.substr(0, name.size() + 1) != fmt::format("{}=", name)) malformed("malformed");
    rest.remove_prefix(name.size() + 1);
    const std::size_t end = rest.find(';');
    if (end == std::string_view::npos) malformed("malformed");
    std::uint64_t v = 0;
    const auto [p, ec] = std::from_chars(rest.data(), rest.data() + end, v);
    if (ec != std::errc() || p != rest.data() + end || end == 0) malformed("malformed");
    rest.remove_prefix(end + 1);
    return v;
}

bool cost_in_bounds(const KdfCost& c) noexcept {
    return c.ops >= kdf_min_ops && c.ops <= kdf_max_ops && c.memory >= kdf_min_memory &&
           c.memory <= kdf_max_memory;
}

}  // namespace

KdfParams new_kdf_params(KdfCost cost) {
    if (cost.ops < kdf_min_ops || cost.ops > kdf_max_ops) {
        throw Error("bad_input", fmt::format("--kdf-ops {} is out of range: {} to {} passes",
                                             cost.ops, kdf_min_ops, kdf_max_ops));
    }
    if (cost.memory < kdf_min_memory || cost.memory > kdf_max_memory) {
        throw Error("bad_input", fmt::format("--kdf-memory {} MiB is out of range: {} to {} MiB",
                                             cost.memory >> 20, kdf_min_memory >> 20,
                                             kdf_max_memory >> 20));
    }
    ensure_sodium();
    KdfParams p{cost, std::string(salt_bytes, '\0')};
    ::randombytes_buf(p.salt.data(), salt_bytes);
    return p;
}

std::string encode_kdf_params(const KdfParams& p) {
    std::string salt(sodium_base64_encoded_len(p.salt.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(salt.data(), salt.size(), reinterpret_cast<const unsigned char*>(p.salt.data()),
                      p.salt.size(), sodium_base64_VARIANT_ORIGINAL);
    salt.resize(salt.size() - 1);  // the terminating NUL
    return fmt::format("{}ops={};mem={};salt={}", prefix, p.cost.ops, p.cost.memory, salt);
}

KdfParams parse_kdf_params(std::string_view line) {
    if (line.size() > 256) malformed("too long");
    if (line.substr(0, prefix.size()) != prefix) malformed("not Argon2id version 1.3");
    std::string_view rest = line.substr(prefix.size());
    KdfParams p;
    p.cost.ops = number_field(rest, "ops");
    p.cost.memory = number_field(rest, "mem");
    if (!cost_in_bounds(p.cost)) malformed(fmt::format("out of bounds (ops={}, mem={})", p.cost.ops, p.cost.memory));
    if (rest.substr(0, 5) != "salt=") malformed("malformed");
    rest.remove_prefix(5);
    ensure_sodium();
    unsigned char salt[salt_bytes + 1];
    std::size_t n = 0;
    const char* end = nullptr;
    if (sodium_base642bin(salt, sizeof salt, rest.data(), rest.size(), nullptr, &n, &end,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        end != rest.data() + rest.size() || n != salt_bytes) {
        malformed("malformed (salt)");
    }
    p.salt.assign(reinterpret_cast<const char*>(salt), n);
    return p;
}

Key derive_kek(std::string_view passphrase, const KdfParams& p) {
    if (passphrase.empty()) throw Error("bad_input", "the passphrase is empty");
    if (passphrase.size() > passphrase_max_bytes) {
        throw Error("bad_input", fmt::format("the passphrase is longer than {} bytes", passphrase_max_bytes));
    }
    if (!cost_in_bounds(p.cost) || p.salt.size() != salt_bytes) malformed("out of bounds");
    Key kek;
    if (::crypto_pwhash(kek.data(), kek.size(), passphrase.data(), passphrase.size(),
                        reinterpret_cast<const unsigned char*>(p.salt.data()), p.cost.ops,
                        static_cast<std::size_t>(p.cost.memory), crypto_pwhash_ALG_ARGON2ID13) != 0) {
        throw Error("vault_error", fmt::format("cannot derive the key from the passphrase: {} MiB of "
                                               "memory are not available",
                                               p.cost.memory >> 20));
    }
    return kek;
}

void check_new_passphrase(std::string_view passphrase) {
    if (passphrase.size() > passphrase_max_bytes) {
        throw Error("bad_input", fmt::format("the passphrase is longer than {} bytes", passphrase_max_bytes));
    }
    std::size_t chars = 0;
    const auto* s = reinterpret_cast<const utf8proc_uint8_t*>(passphrase.data());
    for (utf8proc_ssize_t i = 0, n = static_cast<utf8proc_ssize_t>(passphrase.size()); i < n;) {
        utf8proc_int32_t cp = 0;
        const utf8proc_ssize_t len = utf8proc_iterate(s + i, n - i, &cp);
        if (len <= 0) throw Error("bad_input", "the passphrase is not valid UTF-8");
        if (cp == '\n' || cp == '\r' || cp == 0) {
            throw Error("bad_input", "the passphrase holds a line break or NUL, which no prompt can type");
        }
        i += len;
        ++chars;
    }
    if (chars < passphrase_min_chars) {
        throw Error("bad_input", fmt::format("the passphrase is too short: at least {} characters",
                                             passphrase_min_chars));
    }
}

PassphraseSource::PassphraseSource(std::string passphrase, KdfCost cost)
    : passphrase_(std::move(passphrase)), cost_(cost) {}

PassphraseSource::~PassphraseSource() { wipe(passphrase_.data(), passphrase_.size()); }

Key PassphraseSource::key(std::string& params, bool /*create*/) {
    if (params.empty()) {
        const KdfParams p = new_kdf_params(cost_);
        Key kek = derive_kek(passphrase_, p);
        params = encode_kdf_params(p);
        return kek;
    }
    return derive_kek(passphrase_, parse_kdf_params(params));
}

}  // namespace growth::secrets
