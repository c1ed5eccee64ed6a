#pragma once
// Reading values out of an authorization server's answers: tokens and client credentials must be
// printable ASCII without spaces; the server's own words go into messages as one short line.

#include <cstddef>
#include <string>
#include <string_view>

namespace growth::oauth {

/// True when `value` is 1..`max_bytes` bytes of printable ASCII without spaces (RFC 6749's
/// VSCHAR, as tokens and client ids are). Throws nothing.
bool printable_credential(std::string_view value, std::size_t max_bytes = 8192) noexcept;

/// At most 300 bytes of `text`, control characters turned into spaces, for a message.
/// Throws std::bad_alloc only.
std::string one_line(std::string_view text);

}  // namespace growth::oauth
