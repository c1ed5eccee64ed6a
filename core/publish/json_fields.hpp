#pragma once
// Defensive JSON reading for response bodies: parsing never throws, lookups never throw, and
// every miss is reported as a value the caller turns into a classified Failure.

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/json_depth.hpp"

namespace growth::publish {

/// Parses `body` as JSON; nullopt when it is not JSON or nests deeper than `max_depth` levels,
/// measured before any value is built (so a hostile body cannot exhaust the stack). Every
/// platform answer is parsed here. In growthd the transport has already refused an answer
/// deeper than limits.max_json_depth as it arrived (NoResponseKind::answer_refused), so this
/// bound only matters when that setting is above the default. Never throws beyond bad_alloc.
std::optional<nlohmann::json> parse_json(std::string_view body,
                                         int max_depth = default_max_json_depth);

/// The member `key` of `j` when `j` is an object that has it, else nullptr. Never throws.
const nlohmann::json* member(const nlohmann::json& j, std::string_view key) noexcept;

/// The member `key` when it is a string, else nullopt. Never throws beyond std::bad_alloc.
std::optional<std::string> string_member(const nlohmann::json& j, std::string_view key);

/// The member `key` when it is a non-empty string, else nullopt. Never throws beyond bad_alloc.
std::optional<std::string> nonempty_string_member(const nlohmann::json& j, std::string_view key);

/// The member `key` when it is an integer (or an integral string), else nullopt. Never throws.
std::optional<long long> integer_member(const nlohmann::json& j, std::string_view key) noexcept;

/// Serializes `j` compactly; nullopt when a string in it is not valid UTF-8. Never throws
/// beyond std::bad_alloc.
std::optional<std::string> dump_json(const nlohmann::ordered_json& j);

}  // namespace growth::publish
