#pragma once
// The JSON type used on the wire. Insertion-ordered so that every line reads
// {"jsonrpc":"2.0","id":...,"result":...} and results keep the order handlers build them in.

#include <nlohmann/json.hpp>

namespace growth::rpc {

/// A JSON value as sent and received on the socket.
using Json = nlohmann::ordered_json;

}  // namespace growth::rpc
