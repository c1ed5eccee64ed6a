#pragma once
// Account names and the names of the secret fields kept for each account.

#include <string>
#include <string_view>

#include "core/platform.hpp"

namespace growth::accounts {

/// Secret field names in the SecretStore.
inline constexpr std::string_view field_access_token = "access_token";  ///< OAuth/Page token
inline constexpr std::string_view field_app_password = "app_password";  ///< Bluesky
inline constexpr std::string_view field_session = "session";  ///< Bluesky session (JSON)
/// OAuth refresh token from `account login` ("" when the platform granted none).
inline constexpr std::string_view field_refresh_token = "refresh_token";
/// When the access token from `account login` expires: Unix ms as decimal text ("": never).
inline constexpr std::string_view field_token_expires_at = "token_expires_at";
/// When that token is to be refreshed: Unix ms as decimal text ("": never).
inline constexpr std::string_view field_token_refresh_at = "token_refresh_at";

/// The command that gives account `name` of `platform` a working secret again: `account login`
/// where it drives the platform (with `account update` as the other way), else `account update`
/// with the secret's file option. Throws std::bad_alloc only.
std::string new_login_command(Platform platform, std::string_view name);

/// Checks an account name: 1-64 characters of a-z 0-9 . _ -, starting with a letter or digit
/// ([a-z0-9][a-z0-9._-]{0,63}). Throws growth::Error("bad_input") quoting the name and the rule.
void validate_name(std::string_view name);

/// Checks a token or app password as it arrives (the CLI already dropped a file's final
/// newline): not empty, at most 16384 bytes, no spaces or control characters. `what` names it
/// ("token"), `source` where it came from ("--token-file/--token-stdin"). Throws
/// growth::Error("bad_input") naming the problem, never quoting the secret.
void check_secret(std::string_view value, std::string_view what, std::string_view source);

}  // namespace growth::accounts
