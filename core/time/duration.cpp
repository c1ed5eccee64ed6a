// "1h30m", "90 minutes": the one duration grammar for "+..." and "in ..." and for callers.
#include <array>
#include <cctype>
#include <string>

#include "core/did_you_mean.hpp"
#include "core/error.hpp"
#include "core/time/when.hpp"
#include "core/time/when_detail.hpp"

namespace growth::timeexpr {

namespace {

struct Unit {
    std::string_view name;
    long long seconds;
};

constexpr std::array<Unit, 21> units{{
    {"s", 1},        {"sec", 1},      {"secs", 1},       {"second", 1},    {"seconds", 1},
    {"m", 60},       {"min", 60},     {"mins", 60},      {"minute", 60},   {"minutes", 60},
    {"h", 3600},     {"hr", 3600},    {"hrs", 3600},     {"hour", 3600},   {"hours", 3600},
    {"d", 86400},    {"day", 86400},  {"days", 86400},   {"w", 604800},    {"week", 604800},
    {"weeks", 604800},
}};

// A century is far past any schedule and keeps every sum far from overflow.
constexpr long long max_seconds = 36525LL * 86400;
constexpr std::size_t max_digits = 12;
constexpr std::size_t max_bytes = 200;


bool is_space(char c) { return c == ' ' || c == '\t'; }

}  // namespace

namespace detail {

std::chrono::seconds parse_span(std::string_view text, std::string_view what, std::string_view shown) {
    const auto refuse = [&](const std::string& why) {
        throw Error("bad_input", "cannot read " + std::string(what) + " " + quoted(shown) + ": " + why);
    };
    if (text.size() > max_bytes)
        throw Error("bad_input", "duration is too long (" + std::to_string(text.size()) + " bytes; at most " +
                                     std::to_string(max_bytes) + ")");
    const std::string_view hint = "write e.g. 90s, 15m, 2h, 1d or 1h30m";
    std::size_t i = 0;
    const auto skip_spaces = [&] {
        while (i < text.size() && is_space(text[i])) ++i;
    };
    long long total = 0;
    int parts = 0;
    skip_spaces();
    while (i < text.size()) {
        if (parts > 0 && text.substr(i).size() >= 4) {
            // "1 hour and 30 minutes"
            std::string word(text.substr(i, 4));
            for (char& c : word) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            if (word == "and ") {
                i += 4;
                skip_spaces();
            }
        }
        const std::size_t start = i;
        while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
        if (i == start) refuse(std::string(hint));
        if (i - start > max_digits) refuse("the number is too large");
        const long long number = std::stoll(std::string(text.substr(start, i - start)));
        if (i < text.size() && (text[i] == '.' || text[i] == ',') && i + 1 < text.size() &&
            std::isdigit(static_cast<unsigned char>(text[i + 1])))
            refuse("fractions are not accepted; write e.g. 1h30m for 1.5h");
        skip_spaces();
        const std::size_t unit_start = i;
        while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) ++i;
        std::string unit(text.substr(unit_start, i - unit_start));
        for (char& c : unit) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (unit.empty()) refuse("a unit is missing after " + std::to_string(number) + "; " + std::string(hint));
        const Unit* found = nullptr;
        for (const auto& u : units)
            if (u.name == unit) found = &u;
        if (found == nullptr) {
            std::array<std::string_view, units.size()> names;
            for (std::size_t k = 0; k < units.size(); ++k) names[k] = units[k].name;
            // One-letter units are too short for a typo to be recognisable.
            const auto best = unit.size() >= 3 ? did_you_mean(unit, std::span<const std::string_view>(names))
                                               : std::nullopt;
            refuse("unknown unit " + detail::quoted(unit) +
                             (best ? "; did you mean " + std::string(*best) + "?" : "; use s, m, h, d or w"));
        }
        if (number > max_seconds / found->seconds || total + number * found->seconds > max_seconds)
            refuse("it is longer than 100 years");
        total += number * found->seconds;
        ++parts;
        skip_spaces();
    }
    if (parts == 0) throw Error("bad_input", "empty " + std::string(what) + "; " + std::string(hint));
    return std::chrono::seconds{total};
}

}  // namespace detail

std::chrono::seconds parse_duration(std::string_view text) { return detail::parse_span(text, "duration", text); }

}  // namespace growth::timeexpr
