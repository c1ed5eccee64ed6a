#pragma once
// `growthctl calendar`: one month of posts as a grid of weeks (Monday first, ISO 8601) that fits
// the terminal, or as a day-by-day list where the terminal is too narrow for seven columns. Pure:
// the caller gives the posts, the zone, today's date and the width, and prints the lines.

#include <date/date.h>
#include <date/tz.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/report/calendar_post.hpp"

namespace growth::report {

/// "2026-12" (four-digit year 1970..9999, two-digit month 01..12). Throws
/// growth::Error("bad_input", "--month must be YYYY-MM, e.g. 2026-12, not 'foo'") or, for a month
/// out of range, "... month 13 does not exist", and std::bad_alloc.
date::year_month parse_month(std::string_view text);

/// "2026-12". Throws std::bad_alloc only.
std::string format_month(date::year_month month);

/// The instants a local month spans in `zone`: [its first day's 00:00, the next month's first
/// day's 00:00). A midnight skipped by a DST change counts from the instant the day begins.
/// Throws std::bad_alloc only.
struct MonthRange {
    timeexpr::Seconds begin, end;
};
MonthRange month_range(date::year_month month, const date::time_zone* zone);

/// The local calendar date of `t` in `zone`. Throws nothing.
date::year_month_day local_date(timeexpr::Seconds t, const date::time_zone* zone);

struct MonthView {
    date::year_month month;
    date::year_month_day today;            ///< the viewer's local date: marked [N] in the grid
    const date::time_zone* zone = nullptr; ///< the zone days and times are shown in
    std::size_t width = 80;                ///< terminal columns; no line is longer
    bool reverse_video = false;            ///< also mark today with ANSI reverse video
};

/// Columns the grid needs: narrower views get the day list. Throws nothing.
std::size_t min_grid_width() noexcept;

/// The posts of `posts` whose local date is in view.month, by day: element d-1 holds day d's
/// posts ordered by due time (then id). Posts of other months are left out. Throws std::bad_alloc.
std::vector<std::vector<const CalendarPost*>> posts_by_day(const std::vector<CalendarPost>& posts,
                                                           date::year_month month, const date::time_zone* zone);

/// The month as lines without line ends: a grid when view.width >= min_grid_width(), else the
/// day list. Each day shows its number (today's in brackets), its count of posts, and as many
/// "HH:MM first words" lines as fit (a '!' after the time marks a post that needs attention:
/// partial, failed, unknown, missed, needs_auth); the last line says how many posts the month
/// holds. Throws std::bad_alloc.
std::vector<std::string> render_month(const std::vector<CalendarPost>& posts, const MonthView& view);

/// The day-by-day form alone: every day that has posts, and today, with each post's local time,
/// state and first words. Throws std::bad_alloc.
std::vector<std::string> render_day_list(const std::vector<CalendarPost>& posts, const MonthView& view);

}  // namespace growth::report
