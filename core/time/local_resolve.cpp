// Wall-clock time to instant, refusing what DST makes impossible or ambiguous.
#include <cstdio>
#include <string>

#include "core/error.hpp"
#include "core/time/when_detail.hpp"

namespace growth::timeexpr::detail {

namespace {

using std::chrono::days;
using std::chrono::minutes;
using std::chrono::seconds;

date::local_days day_of(date::local_seconds t) { return date::floor<days>(t); }

// The time alone when it falls on `day`, else with its date: keeps messages short on the usual
// one-hour shift and still exact when a whole day is skipped (Pacific/Apia, 2011-12-30).
std::string wall_near(date::local_seconds t, date::local_days day) {
    const std::string full = format_wall(t);
    return day_of(t) == day ? full.substr(11) : full;
}

// The zone files this library reads end their explicit transitions in 2037 and it ignores the
// rule that continues them, so a later local time in a zone that still shifts would silently get
// standard time. Such a zone's last period starts in 2037 or later (a real final change, like
// Sao Paulo's in 2019, starts earlier).
bool past_zone_data(const date::sys_info& info) {
    using namespace date::literals;
    return info.end >= date::sys_days{9000_y / 1 / 1} && info.begin >= date::sys_days{2037_y / 1 / 1};
}

}  // namespace

std::string format_wall(date::local_seconds t) {
    const auto day = day_of(t);
    const auto rest = t - day;
    const std::string text = date::format("%F %H:%M", t);
    if (rest % minutes{1} == seconds{0}) return text;
    return date::format("%F %T", t);
}

std::string format_offset(std::chrono::seconds offset) {
    const char sign = offset < seconds{0} ? '-' : '+';
    const long long total = offset < seconds{0} ? -offset.count() : offset.count();
    char buffer[32];
    if (total % 60 == 0)
        std::snprintf(buffer, sizeof buffer, "%c%02lld:%02lld", sign, total / 3600, total / 60 % 60);
    else
        std::snprintf(buffer, sizeof buffer, "%c%02lld:%02lld:%02lld", sign, total / 3600, total / 60 % 60, total % 60);
    return buffer;
}

Seconds resolve_local(date::local_seconds t, const date::time_zone& zone, Fold fold) {
    const auto info = zone.get_info(t);
    const std::string name(zone.name());
    Seconds instant;
    switch (info.result) {
        case date::local_info::unique:
            instant = Seconds{t.time_since_epoch() - info.first.offset};
            break;
        case date::local_info::nonexistent: {
            const auto change = info.second.begin.time_since_epoch();
            const date::local_seconds from{change + info.first.offset};
            const date::local_seconds to{change + info.second.offset};
            const auto day = day_of(t);
            const bool same_day = day_of(from) == day && day_of(to) == day;
            const std::string from_text = same_day ? wall_near(from, day) : format_wall(from);
            const std::string to_text = same_day ? wall_near(to, day) : format_wall(to);
            throw Error("bad_input", format_wall(t) + " does not exist in " + name + " (clocks go from " +
                                         from_text + " to " + to_text + "); try " +
                                         wall_near(from - minutes{1}, day) + " or " + wall_near(to, day));
        }
        case date::local_info::ambiguous: {
            if (fold == Fold::none) {
                // Zones without letter abbreviations ("+0430") or with one for both sides read
                // better as offsets.
                const auto lettered = [](const std::string& a) { return !a.empty() && a[0] != '+' && a[0] != '-'; };
                const bool named = info.first.abbrev != info.second.abbrev && lettered(info.first.abbrev) &&
                                   lettered(info.second.abbrev);
                const std::string first = named ? info.first.abbrev : format_offset(info.first.offset);
                const std::string second = named ? info.second.abbrev : format_offset(info.second.offset);
                throw Error("bad_input", format_wall(t) + " happens twice in " + name + " (" + first + " and " +
                                             second + "); choose with --fold earlier or --fold later");
            }
            const auto offset = fold == Fold::earlier ? info.first.offset : info.second.offset;
            instant = Seconds{t.time_since_epoch() - offset};
            break;
        }
    }
    if (past_zone_data(zone.get_info(instant))) {
        const std::string wall = format_wall(t);
        std::string example = wall;
        example[10] = 'T';
        throw Error("bad_input", wall + " is past the end of this system's time zone data for " + name +
                                     " (2037); write it with its UTC offset, e.g. " + example + "+HH:MM");
    }
    return instant;
}

void require_in_range(Seconds t, std::string_view expr) {
    using namespace date::literals;
    static constexpr Seconds first{date::sys_days{1970_y / 1 / 1}.time_since_epoch()};
    static constexpr Seconds last{date::sys_days{10000_y / 1 / 1}.time_since_epoch() - seconds{1}};
    if (t < first || t > last)
        throw Error("bad_input", "time " + quoted(expr) + " is outside the years 1970 to 9999");
}

std::string quoted(std::string_view s) {
    constexpr std::size_t shown = 60;
    std::string out = "'";
    for (std::size_t i = 0; i < s.size() && i < shown; ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x20 || c >= 0x7f || c == '\'' || c == '\\') {
            char buffer[8];
            std::snprintf(buffer, sizeof buffer, "\\x%02X", c);
            out += buffer;
        } else {
            out += static_cast<char>(c);
        }
    }
    if (s.size() > shown) out += "...";
    out += "'";
    return out;
}

}  // namespace growth::timeexpr::detail
