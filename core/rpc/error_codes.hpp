#pragma once
// JSON-RPC 2.0 error codes used by growth, and the symbolic kinds that go with them.

#include <string_view>

namespace growth::rpc {

/// The numeric `error.code`. Scripts should match `error.data.kind` instead, which is finer.
enum class ErrorCode : int {
    parse_error = -32700,       ///< the line is not JSON
    invalid_request = -32600,   ///< JSON, but not a JSON-RPC 2.0 request (or a batch, or too long)
    method_not_found = -32601,  ///< no such method
    invalid_params = -32602,    ///< params missing, unknown, or of the wrong type
    internal_error = -32603,    ///< a bug in growthd; the message says what
    application_error = -32000, ///< a growth::Error from a handler; data.kind names it
};

/// Symbolic kinds of the protocol-level errors (application kinds come from growth::Error).
namespace kind {
inline constexpr std::string_view parse_error = "parse_error";
inline constexpr std::string_view invalid_request = "invalid_request";
inline constexpr std::string_view batch_unsupported = "batch_unsupported";
inline constexpr std::string_view line_too_long = "line_too_long";
inline constexpr std::string_view method_not_found = "method_not_found";
inline constexpr std::string_view invalid_params = "invalid_params";
inline constexpr std::string_view internal_error = "internal_error";
inline constexpr std::string_view too_many_connections = "too_many_connections";
inline constexpr std::string_view shutting_down = "shutting_down";
/// A connection already owed limits.max_owed_replies answers asked for one more.
inline constexpr std::string_view too_many_requests = "too_many_requests";
}  // namespace kind

}  // namespace growth::rpc
