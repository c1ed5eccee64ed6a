#pragma once
// The JSON type of the whole core: RPC messages, stored options and settings, platform answers.
// Insertion-ordered so that every line reads {"jsonrpc":"2.0","id":...,"result":...} and results
// keep the order handlers build them in.

#include <string>

#include <nlohmann/json.hpp>

namespace growth {

/// A JSON value as sent and received on the socket and stored in growth.db.
using Json = nlohmann::ordered_json;

/// The string member `key` of `j`; empty when `j` is not an object or the member is absent or not
/// a string. Throws std::bad_alloc.
inline std::string string_field(const Json& j, const char* key) {
    if (!j.is_object()) return {};
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace growth
