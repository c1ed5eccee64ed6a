#pragma once
// Account names and the names of the secret fields kept for each account.

#include <string_view>

namespace growth::accounts {

/// Secret field names in the SecretStore.
inline constexpr std::string_view field_access_token = "access_token";  ///< OAuth/Page token
inline constexpr std::string_view field_app_password = "app_password";  ///< Bluesky
inline constexpr std::string_view field_session = "session";  ///< Bluesky session (JSON)

/// Checks an account name: 1-64 characters of a-z 0-9 . _ -, starting with a letter or digit
/// ([a-z0-9][a-z0-9._-]{0,63}). Throws growth::Error("bad_input") quoting the name and the rule.
void validate_name(std::string_view name);

}  // namespace growth::accounts
