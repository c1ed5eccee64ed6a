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

std::string new_login_command(Platform platform, std::string_view name) {
    if (platform == Platform::bluesky) {
        return fmt::format("growthctl account login bluesky --name {} (asks for a new app password)", name);
    }
    return fmt::format("growthctl account login {} --name {} (or: growthctl account update {} --token-file FILE)",
                       platform_name(platform), name, name);
}

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

void check_secret(std::string_view value, std::string_view what, std::string_view source) {
    const auto bad = [](const std::string& message) { throw Error("bad_input", message); };
    if (value.empty()) bad(fmt::format("the {} is empty (from {})", what, source));
    if (value.size() > 16384) bad(fmt::format("the {} is longer than 16384 bytes", what));
    for (const char c : value) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u == 0x7f) {
            bad(fmt::format("the {} contains spaces or control characters (is {} the right file?)",
                            what, source));
        }
    }
}

}  // namespace growth::accounts
