#include "core/publish/json_fields.hpp"

#include <charconv>
#include <limits>

#include "core/json_depth.hpp"

namespace growth::publish {

std::optional<nlohmann::json> parse_json(std::string_view body, int max_depth) {
    if (!json_depth_within(body, max_depth)) return std::nullopt;
    auto j = nlohmann::json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) return std::nullopt;
    return j;
}

const nlohmann::json* member(const nlohmann::json& j, std::string_view key) noexcept {
    if (!j.is_object()) return nullptr;
    auto it = j.find(key);
    if (it == j.end()) return nullptr;
    return &*it;
}

std::optional<std::string> string_member(const nlohmann::json& j, std::string_view key) {
    const auto* m = member(j, key);
    if (m == nullptr || !m->is_string()) return std::nullopt;
    return m->get_ref<const std::string&>();
}

std::optional<std::string> nonempty_string_member(const nlohmann::json& j, std::string_view key) {
    auto s = string_member(j, key);
    if (!s || s->empty()) return std::nullopt;
    return s;
}

std::optional<long long> integer_member(const nlohmann::json& j, std::string_view key) noexcept {
    const auto* m = member(j, key);
    if (m == nullptr) return std::nullopt;
    // is_number_integer() is also true for unsigned values, so test unsigned first.
    if (m->is_number_unsigned()) {
        auto u = m->get<unsigned long long>();
        if (u > static_cast<unsigned long long>(std::numeric_limits<long long>::max()))
            return std::nullopt;
        return static_cast<long long>(u);
    }
    if (m->is_number_integer()) return m->get<long long>();
    if (m->is_string()) {
        const auto& s = m->get_ref<const std::string&>();
        long long v = 0;
        auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
        if (ec == std::errc() && p == s.data() + s.size() && !s.empty()) return v;
    }
    return std::nullopt;
}

std::optional<std::string> dump_json(const nlohmann::ordered_json& j) {
    try {
        return j.dump();
    } catch (const nlohmann::json::type_error&) {
        return std::nullopt;  // invalid UTF-8 in a string
    }
}

}  // namespace growth::publish
