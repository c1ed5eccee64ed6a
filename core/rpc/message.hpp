#pragma once
// Building JSON-RPC 2.0 messages and turning them into wire lines.

#include <string>
#include <string_view>

#include "core/rpc/error_codes.hpp"
#include "core/rpc/json.hpp"

namespace growth::rpc {

/// {"jsonrpc":"2.0","id":ID,"result":RESULT}. Throws only std::bad_alloc.
Json make_result(const Json& id, Json result);

/// {"jsonrpc":"2.0","id":ID,"error":{"code":C,"message":M,"data":{"kind":K,...extra}}}.
/// `extra` (an object, or null for none) adds members to `data` after `kind`.
/// Throws only std::bad_alloc.
Json make_error(const Json& id, ErrorCode code, std::string_view kind, std::string_view message,
                const Json& extra = nullptr);

/// {"jsonrpc":"2.0","id":ID,"method":M,"params":P}; params omitted when null.
Json make_request(const Json& id, std::string_view method, const Json& params = nullptr);

/// {"jsonrpc":"2.0","method":M,"params":P}: a message that expects no reply.
Json make_notification(std::string_view method, const Json& params);

/// The greeting the server sends first: growth.hello with the protocol and daemon versions.
Json make_hello(std::string_view daemon_version);

/// The compact one-line encoding plus '\n'. Strings are never altered: a reply (a message with an
/// "id" and no "method") holding a string that is not UTF-8 becomes an internal_error reply to the
/// same id, so a reply can always be sent. Throws growth::Error("internal_error") for any other
/// message holding such a string, else only std::bad_alloc.
std::string to_line(const Json& message);

}  // namespace growth::rpc
