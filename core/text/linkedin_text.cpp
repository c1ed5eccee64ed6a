#include "core/text/linkedin_text.hpp"

namespace growth::text {

std::string linkedin_escape(std::string_view text) {
    static constexpr std::string_view reserved = "|{}@[]()<>#\\*_~";
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    for (const char c : text) {
        if (reserved.find(c) != std::string_view::npos) out.push_back('\\');
        out.push_back(c);
    }
    return out;
}

}  // namespace growth::text
