#include "core/text/numbering.hpp"

#include <fmt/format.h>

namespace growth::text {

std::optional<Numbering> parse_numbering(std::string_view s) noexcept {
    if (s == "none") return Numbering::none;
    if (s == "1/n" || s == "slash") return Numbering::slash;
    if (s == "(1/n)" || s == "paren") return Numbering::paren;
    if (s == "\U0001F9F5 1/n" || s == "thread") return Numbering::thread;
    return std::nullopt;
}

std::string_view numbering_name(Numbering n) noexcept {
    switch (n) {
        case Numbering::none: return "none";
        case Numbering::slash: return "1/n";
        case Numbering::paren: return "(1/n)";
        case Numbering::thread: return "\U0001F9F5 1/n";
    }
    return "none";
}

std::string numbering_label(Numbering style, int k, int n) {
    switch (style) {
        case Numbering::none: return {};
        case Numbering::slash: return fmt::format("{}/{}", k, n);
        case Numbering::paren: return fmt::format("({}/{})", k, n);
        case Numbering::thread: return fmt::format("\U0001F9F5 {}/{}", k, n);
    }
    return {};
}

}  // namespace growth::text
