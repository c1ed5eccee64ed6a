#pragma once
// The JSON type of the whole core: RPC messages, stored options and settings, platform answers.
// Insertion-ordered so that every line reads {"jsonrpc":"2.0","id":...,"result":...} and results
// keep the order handlers build them in.

#include <nlohmann/json.hpp>

namespace growth {

/// A JSON value as sent and received on the socket and stored in growth.db.
using Json = nlohmann::ordered_json;

}  // namespace growth
