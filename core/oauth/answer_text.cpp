#include "core/oauth/answer_text.hpp"

namespace growth::oauth {

bool printable_credential(std::string_view value, std::size_t max_bytes) noexcept {
    if (value.empty() || value.size() > max_bytes) return false;
    for (char ch : value) {
        const auto c = static_cast<unsigned char>(ch);
        if (c <= 0x20 || c >= 0x7f) return false;
    }
    return true;
}

std::string one_line(std::string_view text) {
    std::string out;
    for (char ch : text.substr(0, 300)) out += (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f) ? ' ' : ch;
    return out;
}

}  // namespace growth::oauth
