#include "core/http/message.hpp"

namespace growth::http {

namespace {
char lower_ascii(char c) noexcept {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}
}  // namespace

bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (lower_ascii(a[i]) != lower_ascii(b[i])) return false;
    }
    return true;
}

void Headers::add(std::string name, std::string value) {
    items_.push_back(Header{std::move(name), std::move(value)});
}

std::optional<std::string_view> Headers::get(std::string_view name) const noexcept {
    for (const auto& h : items_) {
        if (iequals(h.name, name)) return std::string_view(h.value);
    }
    return std::nullopt;
}

}  // namespace growth::http
