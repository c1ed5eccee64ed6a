// Zone lookup and the two ways an instant is shown.
#include <cctype>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/did_you_mean.hpp"
#include "core/error.hpp"
#include "core/time/when.hpp"
#include "core/time/when_detail.hpp"

namespace growth::timeexpr {

namespace {

constexpr std::size_t max_zone_name = 100;

const date::tzdb& database() {
    try {
        return date::get_tzdb();
    } catch (const std::exception& e) {
        throw Error("internal_error", std::string("cannot read the time zone database: ") + e.what());
    }
}

bool iequal(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

std::string_view last_component(std::string_view name) {
    const auto slash = name.rfind('/');
    return slash == std::string_view::npos ? name : name.substr(slash + 1);
}

// Typos are matched against whole names, then (for "Berlin" or "new_york") against the city part,
// so that a name without its region still gets a suggestion.
std::optional<std::string> suggest(std::string_view name, const date::tzdb& db) {
    std::vector<std::string> names;
    names.reserve(db.zones.size());
    for (const auto& z : db.zones) names.emplace_back(z.name());
    if (auto best = did_you_mean(name, names)) return best;
    if (name.find('/') != std::string_view::npos) return std::nullopt;
    std::vector<std::string> cities;
    cities.reserve(names.size());
    for (const auto& n : names) cities.emplace_back(last_component(n));
    const auto city = did_you_mean(name, cities);
    if (!city) return std::nullopt;
    for (const auto& n : names)
        if (last_component(n) == *city) return n;
    return std::nullopt;
}

}  // namespace

std::string system_zone_name() {
    if (const char* tz = std::getenv("TZ"); tz != nullptr && *tz != '\0') {
        std::string_view v = tz;
        if (v.front() == ':') v.remove_prefix(1);
        constexpr std::string_view root = "/usr/share/zoneinfo/";
        if (v.starts_with(root)) v.remove_prefix(root.size());
        try {
            return std::string(date::locate_zone(v)->name());
        } catch (const std::exception&) {
            // A POSIX rule string such as "CET-1CEST" names no IANA zone: fall through.
        }
    }
    try {
        return std::string(date::current_zone()->name());
    } catch (const std::exception&) {
        return "UTC";
    }
}

const date::time_zone* find_zone(std::string_view name) {
    const auto& db = database();
    if (name.empty()) {
        const std::string system = system_zone_name();
        try {
            return date::locate_zone(system);
        } catch (const std::exception&) {
            return date::locate_zone("UTC");
        }
    }
    bool printable = name.size() <= max_zone_name;
    for (char c : name)
        if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7f) printable = false;
    if (printable) {
        try {
            return date::locate_zone(name);
        } catch (const std::exception&) {
            // Not an exact name: try the forgiving matches below.
        }
        const date::time_zone* match = nullptr;
        int matches = 0;
        for (const auto& z : db.zones) {
            if (iequal(z.name(), name)) {
                match = &z;
                ++matches;
            }
        }
        if (matches == 1) return match;
    }
    std::string message = "unknown time zone " + detail::quoted(name);
    const auto best = printable ? suggest(name, db) : std::nullopt;
    if (best)
        message += "; did you mean " + *best + "?";
    else
        message += " (IANA names look like Europe/Berlin or America/New_York)";
    throw Error("bad_input", message);
}

std::string format_utc(Seconds t) { return date::format("%FT%TZ", t); }

std::string format_local(Seconds t, const date::time_zone* zone) {
    if (zone == nullptr) return date::format("%F %T UTC (+00:00)", t);
    const auto info = zone->get_info(t);
    const auto local = date::local_seconds{t.time_since_epoch() + info.offset};
    return date::format("%F %T ", local) + info.abbrev + " (" + detail::format_offset(info.offset) + ")";
}

}  // namespace growth::timeexpr
