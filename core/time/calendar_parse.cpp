// The parser follows systemd 252's calendarspec.c rule for rule (what it accepts, how it
// normalizes, which repeats it refuses) so that a spec checked with systemd-analyze means the
// same here; only the error messages are ours, naming the component that is wrong.
#include <algorithm>
#include <array>
#include <cctype>
#include <climits>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "core/did_you_mean.hpp"
#include "core/error.hpp"
#include "core/time/calendar.hpp"

namespace growth::timeexpr {

namespace {

struct Field {
    const char* name;
    int from;
    int to;
};

constexpr Field year_field{"year", 1970, 2199};
constexpr Field month_field{"month", 1, 12};
constexpr Field day_field{"day", 1, 31};
constexpr Field hour_field{"hour", 0, 23};
constexpr Field minute_field{"minute", 0, 59};
constexpr Field second_field{"second", 0, 59};

constexpr std::array<std::string_view, 7> short_days{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
constexpr std::array<std::string_view, 7> long_days{"Monday", "Tuesday",  "Wednesday", "Thursday",
                                                    "Friday", "Saturday", "Sunday"};

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

std::vector<std::string_view> split(std::string_view s, char sep) {
    std::vector<std::string_view> out;
    for (;;) {
        const auto at = s.find(sep);
        out.push_back(s.substr(0, at));
        if (at == std::string_view::npos) return out;
        s.remove_prefix(at + 1);
    }
}

// Text from the spec as quoted in a message: short, and one line of ASCII whatever the bytes
// (nothing in a valid spec is outside ASCII, and the message may travel as JSON).
std::string quoted(std::string_view spec) {
    std::string out;
    for (const char c : spec.substr(0, 64)) {
        const auto u = static_cast<unsigned char>(c);
        out += (u < 0x20 || u >= 0x7f) ? '?' : c;
    }
    if (spec.size() > 64) out += "...";
    return out;
}

// Every zone name the date library knows, read once: the candidates for "did you mean".
const std::vector<std::string>& zone_names() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> out;
        try {
            for (const auto& z : date::get_tzdb().zones) out.emplace_back(z.name());
        } catch (const std::exception&) {
        }
        return out;
    }();
    return names;
}

}  // namespace

class CalendarParser {
public:
    explicit CalendarParser(std::string_view spec) : spec_(spec) {}

    CalendarEvent run() {
        if (spec_.size() > CalendarEvent::max_spec_bytes)
            fail("longer than " + std::to_string(CalendarEvent::max_spec_bytes) + " bytes");
        if (spec_.empty()) fail("empty; write e.g. 'daily' or 'Mon..Fri 09:00'");
        if (spec_.front() == ' ' || spec_.back() == ' ') fail("starts or ends with a space");
        std::vector<std::string_view> tokens;
        for (auto t : split(spec_, ' '))
            if (!t.empty()) tokens.push_back(t);
        take_zone(tokens);
        if (tokens.size() == 1 && shorthand(tokens[0])) return std::move(event_);

        std::size_t i = 0;
        if (is_alpha(tokens[0][0])) event_.weekdays_ = weekdays(tokens[i++]);
        std::string_view date, time;
        for (; i < tokens.size(); ++i) {
            const auto t = tokens[i];
            if (is_alpha(t[0]) && is_weekday_list(t)) {
                std::string moved(t);
                for (std::size_t j = 0; j < tokens.size(); ++j)
                    if (j != i) moved += " " + std::string(tokens[j]);
                fail("weekdays go first: '" + moved + "'");
            }
            if (std::any_of(t.begin(), t.end(), is_alpha) &&
                (t.find('/') != std::string_view::npos || std::all_of(t.begin(), t.end(), is_alpha)))
                fail("unexpected '" + std::string(t) + "' (a time zone goes last, once)");
            if (t.find(':') != std::string_view::npos) {
                if (!time.empty()) fail("two times '" + std::string(time) + "' and '" + std::string(t) + "'");
                time = t;
            } else {
                if (!time.empty()) fail("the date '" + std::string(t) + "' goes before the time");
                if (!date.empty()) fail("two dates '" + std::string(date) + "' and '" + std::string(t) + "'");
                date = t;
            }
        }
        if (!date.empty()) parse_date(date);
        if (time.empty()) {
            event_.hour_ = {{0, -1, 0}};
            event_.minute_ = {{0, -1, 0}};
            event_.second_ = {{0, -1, 0}};
        } else {
            parse_time(time);
        }
        return std::move(event_);
    }

private:
    [[noreturn]] void fail(const std::string& what) const {
        std::string line = what;
        for (char& c : line)
            if (const auto u = static_cast<unsigned char>(c); u < 0x20 || u >= 0x7f) c = '?';
        throw Error("bad_input", "calendar '" + quoted(spec_) + "': " + line);
    }

    void take_zone(std::vector<std::string_view>& tokens) {
        if (tokens.size() < 2) return;
        const auto last = tokens.back();
        if (iequals(last, "UTC")) {
            event_.utc_ = true;
            event_.zone_name_ = "UTC";
            tokens.pop_back();
            return;
        }
        // Only a weekday list or a zone can hold letters, and weekdays come first: so a final
        // word with a letter that is not a weekday list is meant as a zone.
        const bool wordy = std::any_of(last.begin(), last.end(), is_alpha);
        if (!wordy || is_weekday_list(last)) return;
        const std::string name(last);
        try {
            event_.zone_ = date::locate_zone(name);
            event_.zone_->get_info(date::sys_seconds{});  // reads the zone file now, not at the first use
        } catch (const std::exception&) {
            std::string message = "unknown time zone '" + quoted(name) + "'";
            if (const auto near = did_you_mean(name, zone_names())) message += "; did you mean " + *near + "?";
            fail(message + " (an IANA name such as Europe/Berlin, or UTC)");
        }
        event_.zone_name_ = name;
        tokens.pop_back();
    }

    bool shorthand(std::string_view word) {
        auto& e = event_;
        const CalendarChain zero{{0, -1, 0}}, one{{1, -1, 0}};
        if (iequals(word, "minutely")) {
            e.second_ = zero;
        } else if (iequals(word, "hourly")) {
            e.minute_ = e.second_ = zero;
        } else if (iequals(word, "daily")) {
            e.hour_ = e.minute_ = e.second_ = zero;
        } else if (iequals(word, "weekly")) {
            e.weekdays_ = 1;
            e.hour_ = e.minute_ = e.second_ = zero;
        } else if (iequals(word, "monthly")) {
            e.day_ = one;
            e.hour_ = e.minute_ = e.second_ = zero;
        } else if (iequals(word, "yearly") || iequals(word, "annually") || iequals(word, "anually")) {
            e.month_ = e.day_ = one;
            e.hour_ = e.minute_ = e.second_ = zero;
        } else if (iequals(word, "quarterly")) {
            e.month_ = {{1, -1, 0}, {4, -1, 0}, {7, -1, 0}, {10, -1, 0}};
            e.day_ = one;
            e.hour_ = e.minute_ = e.second_ = zero;
        } else if (iequals(word, "semiannually") || iequals(word, "semi-annually") ||
                   iequals(word, "biannually") || iequals(word, "bi-annually")) {
            e.month_ = {{1, -1, 0}, {7, -1, 0}};
            e.day_ = one;
            e.hour_ = e.minute_ = e.second_ = zero;
        } else {
            static constexpr std::array<std::string_view, 9> names{
                "minutely", "hourly", "daily", "weekly", "monthly", "yearly", "annually", "quarterly",
                "semiannually"};
            if (day_number(word) < 0 && word.find_first_of(",.") == std::string_view::npos) {
                if (const auto near = did_you_mean(word, names))
                    fail("unknown shorthand '" + std::string(word) + "'; did you mean " + std::string(*near) + "?");
            }
            return false;
        }
        return true;
    }

    static int day_number(std::string_view name) {
        for (int d = 0; d < 7; ++d)
            if (iequals(name, short_days[d]) || iequals(name, long_days[d])) return d;
        return -1;
    }

    static bool is_weekday_list(std::string_view token) {
        try {
            CalendarParser probe(token);
            probe.weekdays(token);
            return true;
        } catch (const Error&) {
            return false;
        }
    }

    // Names separated by ',' (a trailing one allowed), ranges by ".." or '-', never backwards.
    unsigned weekdays(std::string_view token) {
        unsigned bits = 0;
        for (const auto item : split(token, ',')) {
            if (item.empty()) {
                if (item.data() + item.size() == token.data() + token.size() && token.size() > 1) break;
                fail("empty weekday in '" + std::string(token) + "'");
            }
            std::string_view a = item, b;
            if (const auto dots = item.find(".."); dots != std::string_view::npos) {
                a = item.substr(0, dots);
                b = item.substr(dots + 2);
                if (b.empty()) fail("open weekday range '" + std::string(item) + "'");
            } else if (const auto dash = item.find('-'); dash != std::string_view::npos) {
                a = item.substr(0, dash);
                b = item.substr(dash + 1);
                if (b.empty()) fail("open weekday range '" + std::string(item) + "'");
            }
            const int first = day_number(a);
            if (first < 0) fail("unknown weekday '" + std::string(a) + "' (Mon..Sun)");
            int last = first;
            if (!b.empty()) {
                last = day_number(b);
                if (last < 0) fail("unknown weekday '" + std::string(b) + "' (Mon..Sun)");
                if (last < first)
                    fail("weekday range '" + std::string(item) + "' runs backwards (weeks run Mon..Sun)");
            }
            for (int d = first; d <= last; ++d) bits |= 1u << d;
        }
        return bits == 0x7f ? 0 : bits;
    }

    void parse_date(std::string_view date) {
        const auto tilde = date.find('~');
        std::vector<std::string_view> parts;
        if (tilde != std::string_view::npos) {
            event_.end_of_month_ = true;
            parts = split(date.substr(0, tilde), '-');
            parts.push_back(date.substr(tilde + 1));
            if (parts.back().find('~') != std::string_view::npos || parts.back().find('-') != std::string_view::npos)
                fail("date '" + std::string(date) + "': '~' may only come before the day");
        } else {
            parts = split(date, '-');
        }
        if (parts.size() < 2 || parts.size() > 3)
            fail("date '" + std::string(date) + "' is neither YEAR-MONTH-DAY nor MONTH-DAY");
        if (parts.size() == 3) event_.year_ = chain(parts[0], year_field);
        event_.month_ = chain(parts[parts.size() - 2], month_field);
        event_.day_ = chain(parts.back(), day_field);
    }

    void parse_time(std::string_view time) {
        const auto parts = split(time, ':');
        if (parts.size() > 3)
            fail("time '" + std::string(time) + "' is neither HOUR:MINUTE nor HOUR:MINUTE:SECOND");
        event_.hour_ = chain(parts[0], hour_field);
        event_.minute_ = chain(parts[1], minute_field);
        event_.second_ = parts.size() == 3 ? chain(parts[2], second_field) : CalendarChain{{0, -1, 0}};
    }

    // A run of digits; past INT_MAX it saturates, to be refused as out of range.
    static bool number(std::string_view& s, int& out) {
        if (s.empty() || !is_digit(s[0])) return false;
        long long v = 0;
        while (!s.empty() && is_digit(s[0])) {
            v = std::min<long long>(v * 10 + (s[0] - '0'), INT_MAX);
            s.remove_prefix(1);
        }
        out = static_cast<int>(v);
        return true;
    }

    int value(std::string_view& s, const Field& f, std::string_view item) {
        int v = 0;
        if (!number(s, v)) fail(std::string(f.name) + " '" + std::string(item) + "' is not a number, range or repeat");
        if (&f == &second_field && s.size() >= 2 && s[0] == '.' && is_digit(s[1])) {
            s.remove_prefix(1);
            bool nonzero = false;
            while (!s.empty() && is_digit(s[0])) {
                nonzero |= s[0] != '0';
                s.remove_prefix(1);
            }
            if (nonzero)
                fail("second '" + std::string(item) + "': fractions of a second are not supported (whole seconds only)");
        }
        return v;
    }

    CalendarChain chain(std::string_view text, const Field& f) {
        const bool eom = &f == &day_field && event_.end_of_month_;
        if (text == "*") {
            if (eom) event_.end_of_month_ = false;  // every day counted from either end is every day
            return {};
        }
        std::vector<std::pair<CalendarComponent, std::string_view>> parsed;
        for (const auto item : split(text, ',')) {
            if (item.empty()) fail(std::string(f.name) + " '" + quoted(text) + "' has an empty value");
            std::string_view s = item;
            CalendarComponent c;
            c.start = value(s, f, item);
            bool ranged = false;
            if (s.size() >= 2 && s[0] == '.' && s[1] == '.') {
                s.remove_prefix(2);
                c.stop = value(s, f, item);
                c.repeat = 1;
                ranged = true;
            }
            if (!s.empty() && s[0] == '/') {
                s.remove_prefix(1);
                c.repeat = value(s, f, item);
                if (c.repeat == 0) fail(std::string(f.name) + " '" + std::string(item) + "' repeats every 0");
            } else if (ranged && &f == &second_field && c.start + 1 > c.stop) {
                fail("second range '" + std::string(item) + "' is empty");
            }
            if (!s.empty()) fail(std::string(f.name) + " '" + std::string(item) + "' is not a number, range or repeat");
            if (&f == &year_field) {
                for (int* y : {&c.start, &c.stop}) {
                    if (*y >= 0 && *y < 70) *y += 2000;
                    else if (*y >= 70 && *y < 100) *y += 1900;
                }
            }
            normalize(c);
            parsed.emplace_back(c, item);
        }
        std::sort(parsed.begin(), parsed.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        CalendarChain out;
        for (const auto& [c, item] : parsed) {
            if (!out.empty() && out.back() == c) continue;
            // systemd's chain_valid takes 3 more days off the reach of each further '~' value.
            check(c, f, eom ? day_field.to - 3 * static_cast<int>(out.size() + 1) : f.to, eom, item);
            out.push_back(c);
        }
        return out;
    }

    // systemd's normalize_chain: a range ends on a repeat, and a repeat that cannot fire twice
    // is a single value.
    static void normalize(CalendarComponent& c) {
        if (c.stop > c.start && c.repeat > 0) c.stop -= (c.stop - c.start) % c.repeat;
        if ((c.stop > c.start && c.start + c.repeat > c.stop) || c.start == c.stop) {
            c.repeat = 0;
            c.stop = -1;
        }
    }

    // systemd's chain_valid, up to `to`. From the month's end at most ~01..~28 exist, and a
    // repeat there must still land inside the month on the way to its end.
    void check(const CalendarComponent& c, const Field& f, int to, bool eom, std::string_view item) const {
        const std::string what = std::string(f.name) + " '" + (eom ? "~" : "") + std::string(item) + "'";
        const std::string range = eom ? fmt::format("~01..~{:02}", to) : fmt::format("{}..{}", f.from, to);
        if (c.start < f.from || c.start > to || (c.stop >= 0 && (c.stop < f.from || c.stop > to)))
            fail(what + " is out of range (" + range + ")");
        if (c.stop >= 0 && c.start + c.repeat > c.stop) fail(what + " runs backwards");
        const bool overruns = c.repeat > to - f.from ||
                              (c.stop < 0 && c.repeat > 0 && (eom ? c.start - c.repeat < f.from : c.start + c.repeat > to));
        if (overruns) fail(what + " never repeats within " + range);
    }

    std::string_view spec_;
    CalendarEvent event_;
};

CalendarEvent CalendarEvent::parse(std::string_view spec) { return CalendarParser(spec).run(); }

}  // namespace growth::timeexpr
