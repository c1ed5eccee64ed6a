// The WHEN grammar (when.hpp lists the forms). The text is lower-cased and its blanks collapsed,
// then read left to right by a cursor; every refusal quotes what the user typed.
#include "core/time/when.hpp"

#include <array>
#include <cctype>
#include <optional>
#include <string>

#include "core/did_you_mean.hpp"
#include "core/error.hpp"
#include "core/time/when_detail.hpp"

namespace growth::timeexpr {

namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

constexpr std::size_t max_bytes = 200;
constexpr std::string_view forms =
    "use e.g. 2026-12-02T09:00Z, 2026-12-02 10:00, 10:30, 8pm, tomorrow 09:00, mon 10:30, "
    "next fri 8am, +90m or in 2 hours";

[[noreturn]] void unreadable(std::string_view expr) {
    throw Error("bad_input", "cannot read time " + detail::quoted(expr) + "; " + std::string(forms));
}

struct Cursor {
    std::string_view s;
    std::size_t i = 0;

    bool done() const { return i >= s.size(); }
    char peek() const { return done() ? '\0' : s[i]; }
    bool digit() const { return std::isdigit(static_cast<unsigned char>(peek())) != 0; }
    bool eat(char c) {
        if (peek() != c) return false;
        ++i;
        return true;
    }
    bool eat(std::string_view w) {
        if (s.substr(i, w.size()) != w) return false;
        i += w.size();
        return true;
    }
    // Exactly `n` digits, or nullopt (consuming nothing).
    std::optional<int> fixed(std::size_t n) {
        if (s.size() - i < n) return std::nullopt;
        int v = 0;
        for (std::size_t k = 0; k < n; ++k) {
            const char c = s[i + k];
            if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
            v = v * 10 + (c - '0');
        }
        i += n;
        return v;
    }
    // A run of letters: a word of the everyday forms.
    std::string_view word() {
        const std::size_t start = i;
        while (!done() && std::isalpha(static_cast<unsigned char>(s[i]))) ++i;
        return s.substr(start, i - start);
    }
    bool at_boundary() const { return done() || peek() == ' '; }
};

std::string normalize(std::string_view expr) {
    std::string out;
    for (char c : expr) {
        const auto u = static_cast<unsigned char>(c);
        if (c == ' ' || c == '\t') {
            if (!out.empty() && out.back() != ' ') out += ' ';
        } else if (u < 0x20 || u >= 0x7f) {
            unreadable(expr);
        } else {
            out += static_cast<char>(std::tolower(u));
        }
    }
    if (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

// H[:MM[:SS[.fff]]] with am/pm, or H:MM[:SS[.fff]] on the 24-hour clock. Fractions are truncated:
// posts are placed to the second. nullopt when no clock starts here.
std::optional<seconds> clock(Cursor& c, std::string_view expr) {
    if (!c.digit()) return std::nullopt;
    const std::size_t start = c.i;
    int hour = c.s[c.i++] - '0';
    if (c.digit()) hour = hour * 10 + (c.s[c.i++] - '0');
    if (c.digit()) unreadable(expr);
    std::optional<int> minute, second;
    if (c.eat(':')) {
        minute = c.fixed(2);
        if (!minute) unreadable(expr);
        if (c.eat(':')) {
            second = c.fixed(2);
            if (!second) unreadable(expr);
            if (c.peek() == '.' || c.peek() == ',') {
                ++c.i;
                if (!c.digit()) unreadable(expr);
                while (c.digit()) ++c.i;
            }
        }
    }
    const std::size_t before_meridiem = c.i;
    c.eat(' ');
    int meridiem = 0;  // 1 = am, 2 = pm
    if (c.eat("am") || c.eat("a.m.")) meridiem = 1;
    else if (c.eat("pm") || c.eat("p.m.")) meridiem = 2;
    if (meridiem == 0) c.i = before_meridiem;
    if (meridiem != 0 && !c.at_boundary()) unreadable(expr);
    const std::string written(c.s.substr(start, c.i - start));
    if (meridiem == 0 && !minute)
        throw Error("bad_input", "a bare number is not a time in " + detail::quoted(expr) + "; write " +
                                     std::to_string(hour) + ":00 or " + std::to_string(hour) + "am");
    if (meridiem != 0) {
        if (hour < 1 || hour > 12)
            throw Error("bad_input", "no such time " + detail::quoted(written) + " (12-hour times run from 12am to 11:59pm)");
        hour = hour % 12 + (meridiem == 2 ? 12 : 0);
    }
    if (hour > 23 || minute.value_or(0) > 59 || second.value_or(0) > 59)
        throw Error("bad_input", "no such time " + detail::quoted(written) + " (hours 00..23, minutes and seconds 00..59)");
    return hours{hour} + minutes{minute.value_or(0)} + seconds{second.value_or(0)};
}

struct Offset {
    seconds value;
    bool utc;  // written as Z or UTC rather than as a number
};

// After an ISO clock: Z, UTC, +HH, +HHMM or +HH:MM (RFC 3339 limits: hours 00..23, minutes 00..59).
std::optional<Offset> offset(Cursor& c, std::string_view expr) {
    const std::size_t start = c.i;
    c.eat(' ');
    if (c.eat("utc") || c.eat('z')) return Offset{seconds{0}, true};
    const char sign = c.peek();
    if (sign != '+' && sign != '-') {
        c.i = start;
        return std::nullopt;
    }
    ++c.i;
    const auto h = c.fixed(2);
    if (!h) unreadable(expr);
    std::optional<int> m = 0;
    if (c.eat(':')) {
        m = c.fixed(2);
        if (!m) unreadable(expr);
    } else if (c.digit()) {
        m = c.fixed(2);
        if (!m) unreadable(expr);
    }
    if (*h > 23 || *m > 59)
        throw Error("bad_input", "no such offset " + detail::quoted(c.s.substr(start, c.i - start)) +
                                     " (hours 00..23, minutes 00..59)");
    const seconds value = hours{*h} + minutes{*m};
    return Offset{sign == '-' ? -value : value, false};
}

// A fixed offset names no IANA zone; record the user's own zone when it had that offset then,
// else the Etc/GMT zone with it (POSIX signs: Etc/GMT-1 is +01:00), else UTC.
std::string zone_for_offset(seconds off, Seconds instant, const date::time_zone& context) {
    if (context.get_info(instant).offset == off) return std::string(context.name());
    if (off % hours{1} != seconds{0} || off == seconds{0}) return "UTC";
    const long long h = off.count() / 3600;
    if (h < -12 || h > 14) return "UTC";
    const std::string name = "Etc/GMT" + std::string(h > 0 ? "-" : "+") + std::to_string(h > 0 ? h : -h);
    try {
        return std::string(date::locate_zone(name)->name());
    } catch (const std::exception&) {
        return "UTC";
    }
}

When finish_local(date::local_days day, seconds tod, const date::time_zone& zone, const WhenContext& ctx,
                  std::string_view expr) {
    using namespace date::literals;
    const auto year = date::year_month_day{day}.year();
    if (year < 1970_y || year > 9999_y)
        throw Error("bad_input", "time " + detail::quoted(expr) + " is outside the years 1970 to 9999");
    const Seconds instant = detail::resolve_local(day + tod, zone, ctx.fold);
    detail::require_in_range(instant, expr);
    return {instant, std::string(zone.name())};
}

When iso(Cursor& c, std::string_view expr, const date::time_zone& zone, const WhenContext& ctx) {
    using namespace date::literals;
    const auto y = c.fixed(4);
    if (!y || !c.eat('-')) unreadable(expr);
    const auto m = c.fixed(2);
    if (!m || !c.eat('-')) unreadable(expr);
    const auto d = c.fixed(2);
    if (!d) unreadable(expr);
    const date::year_month_day ymd{date::year{*y}, date::month{static_cast<unsigned>(*m)},
                                   date::day{static_cast<unsigned>(*d)}};
    const std::string written(c.s.substr(0, 10));
    if (!ymd.ok()) throw Error("bad_input", "no such date " + detail::quoted(written));
    if (ymd.year() < 1970_y)
        throw Error("bad_input", "time " + detail::quoted(expr) + " is outside the years 1970 to 9999");
    const date::local_days day{ymd};
    if (c.done()) return finish_local(day, seconds{0}, zone, ctx, expr);
    if (!c.eat('t') && !c.eat(' ')) unreadable(expr);
    const auto tod = clock(c, expr);
    if (!tod) unreadable(expr);
    const auto off = offset(c, expr);
    if (!c.done()) unreadable(expr);
    if (!off) return finish_local(day, *tod, zone, ctx, expr);
    const Seconds instant{(date::sys_days{ymd} + *tod - off->value).time_since_epoch()};
    detail::require_in_range(instant, expr);
    return {instant, off->utc ? std::string("UTC") : zone_for_offset(off->value, instant, zone)};
}

struct Weekday {
    std::string_view name;
    unsigned number;  // 0 = Sunday, as date::weekday counts
};

constexpr std::array<Weekday, 17> weekdays{{
    {"sun", 0}, {"sunday", 0}, {"mon", 1}, {"monday", 1}, {"tue", 2}, {"tues", 2}, {"tuesday", 2},
    {"wed", 3}, {"wednesday", 3}, {"thu", 4}, {"thur", 4}, {"thurs", 4}, {"thursday", 4},
    {"fri", 5}, {"friday", 5}, {"sat", 6}, {"saturday", 6},
}};

std::optional<unsigned> weekday_named(std::string_view w) {
    for (const auto& d : weekdays)
        if (d.name == w) return d.number;
    return std::nullopt;
}

[[noreturn]] void unknown_word(std::string_view w, std::string_view expr) {
    static constexpr std::array<std::string_view, 12> known{"today",  "tomorrow", "next",     "now",
                                                            "monday", "tuesday",  "wednesday", "thursday",
                                                            "friday", "saturday", "sunday",   "at"};
    const auto best = did_you_mean(w, std::span<const std::string_view>(known));
    if (!best || *best == w) unreadable(expr);
    throw Error("bad_input", "cannot read " + detail::quoted(w) + " in time " + detail::quoted(expr) +
                                 "; did you mean " + std::string(*best) + "?");
}

enum class DayKind { none, today, tomorrow, weekday, next_weekday };

// "tomorrow 9am", "9am tomorrow", "mon 10:30", "next fri at 8am", "10:30".
When everyday(Cursor& c, std::string_view expr, const date::time_zone& zone, const WhenContext& ctx) {
    DayKind kind = DayKind::none;
    unsigned wanted = 0;
    std::string day_word;
    std::optional<seconds> tod;
    while (!c.done()) {
        if (!tod && c.digit()) {
            tod = clock(c, expr);
        } else {
            const std::string_view w = c.word();
            if (w.empty()) unreadable(expr);
            if (w == "at") {
                if (!tod && c.eat(' ') && c.digit()) continue;
                unreadable(expr);
            }
            if (kind != DayKind::none) unreadable(expr);
            day_word = std::string(w);
            if (w == "today") {
                kind = DayKind::today;
            } else if (w == "tomorrow") {
                kind = DayKind::tomorrow;
            } else if (const auto n = weekday_named(w)) {
                kind = DayKind::weekday;
                wanted = *n;
            } else if (w == "next") {
                if (!c.eat(' ')) unreadable(expr);
                const std::string_view d = c.word();
                const auto after_next = weekday_named(d);
                if (!after_next) {
                    if (d.empty()) unreadable(expr);
                    throw Error("bad_input", "'next' takes a weekday in time " + detail::quoted(expr) +
                                                 ", e.g. next fri 8am");
                }
                kind = DayKind::next_weekday;
                wanted = *after_next;
                day_word = "next " + std::string(d);
            } else {
                unknown_word(w, expr);
            }
        }
        if (!c.done() && !c.eat(' ')) unreadable(expr);
    }
    if (!tod)
        throw Error("bad_input", detail::quoted(day_word) + " needs a time of day, e.g. '" + day_word + " 09:00'");
    const date::local_seconds now_local = zone.to_local(ctx.now);
    const date::local_days today = date::floor<days>(now_local);
    const bool ahead_today = today + *tod > now_local;
    const unsigned this_weekday = date::weekday{today}.c_encoding();
    const unsigned forward = (wanted + 7 - this_weekday) % 7;
    int offset_days = 0;
    switch (kind) {
        case DayKind::none: offset_days = ahead_today ? 0 : 1; break;
        case DayKind::today: offset_days = 0; break;
        case DayKind::tomorrow: offset_days = 1; break;
        case DayKind::weekday: offset_days = static_cast<int>(forward == 0 && !ahead_today ? 7 : forward); break;
        case DayKind::next_weekday: offset_days = static_cast<int>(forward == 0 ? 7 : forward); break;
    }
    return finish_local(today + days{offset_days}, *tod, zone, ctx, expr);
}

}  // namespace

When parse_when(std::string_view expr, const WhenContext& ctx) {
    if (expr.size() > max_bytes)
        throw Error("bad_input", "time is too long (" + std::to_string(expr.size()) + " bytes; at most " +
                                     std::to_string(max_bytes) + ")");
    const std::string text = normalize(expr);
    if (text.empty()) throw Error("bad_input", "empty time; " + std::string(forms));
    const date::time_zone* zone = find_zone(ctx.zone);
    const std::string zone_name(zone->name());
    if (text == "now") return {ctx.now, zone_name};
    if (text.front() == '+' || text.starts_with("in ")) {
        const auto span = detail::parse_span(std::string_view(text).substr(text.front() == '+' ? 1 : 3), "time", expr);
        const Seconds instant = ctx.now + span;
        detail::require_in_range(instant, expr);
        return {instant, zone_name};
    }
    if (text.front() == '-')
        throw Error("bad_input", "time " + detail::quoted(expr) + " is in the past; relative times count forward, e.g. +" +
                                     text.substr(1));
    Cursor c{text};
    if (text.size() >= 5 && std::isdigit(static_cast<unsigned char>(text[0])) && text[4] == '-')
        return iso(c, expr, *zone, ctx);
    return everyday(c, expr, *zone, ctx);
}

}  // namespace growth::timeexpr
