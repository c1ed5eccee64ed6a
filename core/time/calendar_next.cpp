// Finding the next elapse: the field-by-field search of systemd's find_next over wall-clock
// time, then the wall time is mapped to an instant with the zone's rules from the date library.
#include <algorithm>

#include "core/time/calendar.hpp"

namespace growth::timeexpr {

namespace {

using std::chrono::seconds;
using LocalSeconds = date::local_seconds;

// systemd never elapses after 2199 (its last valid year), which also bounds every search to
// under 230 years of months.
constexpr int last_year = 2199;

// The smallest value >= v and <= hi that one of `c` matches (every value when `c` is empty).
std::optional<int> next_value(const CalendarChain& c, int v, int hi) {
    if (c.empty()) return v <= hi ? std::optional<int>(v) : std::nullopt;
    std::optional<int> best;
    for (const auto& k : c) {
        int x = k.start;
        if (x < v) {
            if (k.repeat == 0) continue;
            x = k.start + (v - k.start + k.repeat - 1) / k.repeat * k.repeat;
        }
        if (k.stop >= 0 && x > k.stop) continue;
        if (x <= hi && (!best || x < *best)) best = x;
    }
    return best;
}

// Counting from the month's end: ~1 is day `last`. systemd turns each component into plain days
// for the month at hand, a range's ends swapped so it still runs forward.
CalendarChain days_of_month(const CalendarChain& c, int last) {
    CalendarChain out;
    for (const auto& k : c) {
        CalendarComponent d{last - k.start + 1, k.stop >= 0 ? last - k.stop + 1 : -1, k.repeat};
        if (d.stop > 0) std::swap(d.start, d.stop);
        out.push_back(d);
    }
    return out;
}

}  // namespace

class CalendarSearch {
public:
    explicit CalendarSearch(const CalendarEvent& e) : e_(e) {}

    // The first wall time >= `from` that every field matches, within the search span.
    std::optional<LocalSeconds> first_match(LocalSeconds from) const {
        const auto day0 = date::floor<date::days>(from);
        const date::year_month_day ymd0{day0};
        const date::hh_mm_ss<seconds> tod0{from - day0};
        const int y0 = static_cast<int>(ymd0.year());
        const int y_end = last_year;
        int m_from = static_cast<int>(static_cast<unsigned>(ymd0.month()));
        int d_from = static_cast<int>(static_cast<unsigned>(ymd0.day()));
        int h = static_cast<int>(tod0.hours().count()), mi = static_cast<int>(tod0.minutes().count()),
            s = static_cast<int>(tod0.seconds().count());
        for (auto y = next_value(e_.year_, y0, y_end); y; y = next_value(e_.year_, *y + 1, y_end)) {
            if (*y != y0) m_from = d_from = 1, h = mi = s = 0;
            for (auto m = next_value(e_.month_, m_from, 12); m; m = next_value(e_.month_, *m + 1, 12)) {
                if (*y != y0 || *m != m_from) d_from = 1, h = mi = s = 0;
                const date::year_month ym{date::year{*y}, date::month{static_cast<unsigned>(*m)}};
                const int last = static_cast<int>(static_cast<unsigned>((ym / date::last).day()));
                const CalendarChain days = e_.end_of_month_ ? days_of_month(e_.day_, last) : e_.day_;
                for (auto d = next_value(days, d_from, last); d; d = next_value(days, *d + 1, last)) {
                    if (*d != d_from) h = mi = s = 0;
                    const date::sys_days day{ym / *d};
                    if (e_.weekdays_ != 0 && !(e_.weekdays_ & (1u << ((date::weekday{day}.c_encoding() + 6) % 7)))) {
                        h = mi = s = 0;
                        continue;
                    }
                    if (const auto t = time_of_day(h, mi, s))
                        return LocalSeconds{day.time_since_epoch()} + *t;
                    h = mi = s = 0;
                }
                d_from = 1;
            }
            m_from = 1;
        }
        return std::nullopt;
    }

private:
    // The first time of day >= h:mi:s that the hour, minute and second fields match.
    std::optional<seconds> time_of_day(int h, int mi, int s) const {
        while (const auto hh = next_value(e_.hour_, h, 23)) {
            if (*hh != h) mi = s = 0;
            while (const auto mm = next_value(e_.minute_, mi, 59)) {
                if (*mm != mi) s = 0;
                if (const auto ss = next_value(e_.second_, s, 59))
                    return seconds{*hh * 3600 + *mm * 60 + *ss};
                mi = *mm + 1;
                s = 0;
            }
            h = *hh + 1;
            mi = s = 0;
        }
        return std::nullopt;
    }

    const CalendarEvent& e_;
};

std::optional<std::chrono::sys_seconds> CalendarEvent::next_after(std::chrono::sys_seconds after,
                                                                  const date::time_zone* zone) const {
    if (zone_ != nullptr) zone = zone_;
    if (utc_) zone = nullptr;
    if (after >= date::sys_days{date::year{last_year + 1} / 1 / 1}) return std::nullopt;
    if (after < date::sys_days{date::year{1} / 1 / 1}) after = date::sys_days{date::year{1} / 1 / 1};
    const CalendarSearch search(*this);
    const auto local = [&](std::chrono::sys_seconds t) {
        return zone ? zone->to_local(t) : LocalSeconds{t.time_since_epoch()};
    };
    auto from = local(after) + seconds{1};
    // Each round passes a DST transition or returns, so a few rounds a year is all it takes.
    for (int round = 0; round < 16 * (last_year - 1970 + 1); ++round) {
        const auto wall = search.first_match(from);
        if (!wall) return std::nullopt;
        if (!zone) return std::chrono::sys_seconds{wall->time_since_epoch()};
        const auto info = zone->get_info(*wall);
        const auto at = [&](const date::sys_info& i) { return std::chrono::sys_seconds{wall->time_since_epoch()} - i.offset; };
        switch (info.result) {
        case date::local_info::unique:
            if (at(info.first) > after) return at(info.first);
            from = *wall + seconds{1};
            break;
        case date::local_info::nonexistent:
            // The wall clock skips this time today; go on from where it resumes.
            from = std::max(*wall + seconds{1}, local(info.second.begin));
            break;
        case date::local_info::ambiguous:
            // It happened (or happens) twice: fire at the first of its instants still to come, and
            // only once, since the search never goes back on the wall clock.
            if (at(info.first) > after) return at(info.first);
            if (at(info.second) > after) return at(info.second);
            from = *wall + seconds{1};
            break;
        }
    }
    return std::nullopt;
}

}  // namespace growth::timeexpr
