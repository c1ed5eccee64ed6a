#pragma once
// The random values of one OAuth 2.0 login: the PKCE verifier and its S256 challenge (RFC 7636)
// and the `state` that ties the callback to the login that asked for it (RFC 6749 §10.12).

#include <string>
#include <string_view>

namespace growth::oauth {

/// A PKCE pair: `verifier` is 32 random bytes in base64url without padding (43 characters),
/// `challenge` is S256(verifier).
struct Pkce {
    std::string verifier;
    std::string challenge;
};

/// A fresh pair from libsodium's CSPRNG. Throws std::bad_alloc only.
Pkce make_pkce();

/// BASE64URL(SHA-256(ASCII(verifier))), without padding (RFC 7636 §4.2). Throws std::bad_alloc.
std::string s256_challenge(std::string_view verifier);

/// A fresh `state`: 32 random bytes (256 bits) in base64url without padding. Throws bad_alloc.
std::string make_state();

/// Compares a received `state` with the expected one in time that does not depend on where they
/// differ (sodium_memcmp); different lengths are unequal. Throws nothing.
bool same_state(std::string_view expected, std::string_view received) noexcept;

}  // namespace growth::oauth
