#include "core/accounts/names.hpp"

#include <fmt/format.h>

#include "core/error.hpp"

namespace growth::accounts {

namespace {

bool lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// Quoted for a message: control and non-ASCII bytes are escaped so the line stays one line.
std::string quoted(std::string_view s) {
    std::string out = "'";
    for (const char c : s.substr(0, 80)) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u >= 0x7f) {
            out += fmt::format("\\x{:02x}", u);
        } else {
            out += c;
        }
    }
    if (s.size() > 80) out += "...";
    return out + "'";
}

}  // namespace

void validate_name(std::string_view name) {
    const auto bad = [&](std::string_view why) {
        throw Error("bad_input", fmt::format("bad account name {}: {}", quoted(name), why));
    };
    if (name.empty()) bad("it is empty");
    if (name.size() > 64) bad("longer than 64 characters");
    if (!lower_alnum(name.front())) bad("it must start with a lower-case letter or a digit");
    for (const char c : name) {
        if (!lower_alnum(c) && c != '.' && c != '_' && c != '-') {
            bad("use only lower-case letters, digits, '.', '_' and '-'");
        }
    }
}

}  // namespace growth::accounts
