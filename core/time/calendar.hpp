#pragma once
// Recurrence rules for `growthctl schedule --every CALENDAR` (DESIGN.md §8): systemd's calendar
// events (man systemd.time, "CALENDAR EVENTS"), parsed, normalized and evaluated as systemd 252
// does, so that what `systemd-analyze calendar` says about a spec is what growth will do with it.
// Pure: no clock, no I/O beyond the zone files the date library reads.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <date/tz.h>

namespace growth::timeexpr {

/// One value set of a calendar field, kept as systemd keeps it: `start` alone (repeat 0), or
/// every `repeat` from `start` on, up to `stop` (-1: up to the field's own end). In the day
/// field of a `~` spec the numbers count back from the month's end (1 is its last day).
struct CalendarComponent {
    int start = 0;
    int stop = -1;
    int repeat = 0;
    auto operator<=>(const CalendarComponent&) const = default;
};

/// One field's components, sorted and without duplicates; empty means `*` (every value).
using CalendarChain = std::vector<CalendarComponent>;

/// A parsed calendar event such as "Mon..Fri *-*-* 09:00 Europe/Berlin". Immutable; copies are
/// cheap enough to keep one per recurring post. Safe to use from any thread.
class CalendarEvent {
public:
    /// Longest spec accepted, in bytes: a spec is typed by a person, and the bound keeps the
    /// parser and every later search small.
    static constexpr std::size_t max_spec_bytes = 256;

    /// Parses `spec`: weekdays, date and time, a shorthand (minutely, hourly, daily, weekly,
    /// monthly, yearly, annually, quarterly, semiannually, ...), and an optional final zone
    /// ("UTC" or an IANA name). Fractions of a second are refused unless they are all zeros:
    /// growth schedules to the second, and truncating would fire at a time nobody wrote.
    /// Throws growth::Error("bad_input", "calendar 'SPEC': ...") naming the bad component, for
    /// anything systemd 252 would refuse too, plus nonzero fractions; std::bad_alloc otherwise.
    static CalendarEvent parse(std::string_view spec);

    /// The spec as `systemd-analyze calendar` prints its "Normalized form", e.g.
    /// "Mon..Fri *-*-* 09:00:00 Europe/Berlin". Throws std::bad_alloc only.
    std::string normalized() const;

    /// The first elapse strictly after `after`, matched against wall-clock time in `zone` (the
    /// spec's own zone, if it names one, overrides it; nullptr means UTC). Nullopt when there is
    /// none up to the end of 2199, systemd's horizon (e.g. a past year, or "*-02-30"). As systemd does it: a wall time
    /// in a DST gap does not fire that day; a wall time in a fold fires once, at its first
    /// instant when `after` is before the fold, else at the one still to come.
    /// Throws std::bad_alloc, or what the date library throws when a zone file cannot be read.
    std::optional<std::chrono::sys_seconds> next_after(std::chrono::sys_seconds after,
                                                       const date::time_zone* zone) const;

    /// The zone the spec names: "" (none), "UTC", or an IANA name as written.
    const std::string& zone_name() const noexcept { return zone_name_; }

private:
    friend class CalendarParser;
    friend class CalendarSearch;

    unsigned weekdays_ = 0;  ///< bit 0 Monday .. bit 6 Sunday; 0 means any day
    CalendarChain year_, month_, day_, hour_, minute_, second_;
    bool end_of_month_ = false;  ///< the day field counts back from the month's end (`~`)
    bool utc_ = false;
    std::string zone_name_;
    const date::time_zone* zone_ = nullptr;  ///< the named IANA zone, if any
};

}  // namespace growth::timeexpr
