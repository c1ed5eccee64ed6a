#pragma once
// Constants of the growth wire protocol (JSON-RPC 2.0, one compact object per line).
// See man/growth-rpc.7 for the specification and its changelog.

#include <cstddef>
#include <string_view>

namespace growth::rpc {

/// The protocol version the daemon announces in `growth.hello`. It is not the daemon version:
/// the major changes only when a client built for the old major could misread the new wire.
inline constexpr std::string_view protocol_version = "1.0";

/// The major part of protocol_version; a client refuses a daemon with a different one.
inline constexpr int protocol_major = 1;

/// Longest accepted request line in bytes, without the terminating newline (1 MiB).
inline constexpr std::size_t max_line_bytes = 1024 * 1024;

/// Name of the greeting notification the server sends first on every connection.
inline constexpr std::string_view hello_method = "growth.hello";

/// Parses the major number of a "MAJOR.MINOR" version; returns -1 when it is not of that form.
/// Throws nothing.
int parse_protocol_major(std::string_view version) noexcept;

}  // namespace growth::rpc
