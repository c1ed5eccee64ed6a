#include "core/report/month_grid.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>

#include "core/error.hpp"
#include "core/report/cell_text.hpp"

namespace growth::report {

namespace {

using namespace std::chrono;

constexpr std::size_t min_cell = 7;    // "HH:MM x": a time and the start of a word
constexpr std::size_t max_cell = 30;   // wider cells only add empty space
constexpr std::size_t max_rows = 4;    // post lines per week row; a fuller day ends in "+N more"

constexpr std::array<const char*, 12> month_names = {"January", "February", "March",     "April",   "May",      "June",
                                                     "July",    "August",   "September", "October", "November", "December"};
constexpr std::array<const char*, 7> day_names = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

const char* reverse_on = "\x1b[7m";
const char* reverse_off = "\x1b[0m";

bool needs_attention(const CalendarPost& p) {
    return p.state == "partial" || p.state == "failed" || p.state == "unknown" || p.state == "missed" ||
           p.state == "needs_auth";
}

std::string local_hhmm(timeexpr::Seconds t, const date::time_zone* zone) {
    const auto offset = zone == nullptr ? seconds(0) : zone->get_info(t).offset;
    const auto local = date::local_seconds{t.time_since_epoch() + offset};
    return date::format("%H:%M", local);
}

std::string title_of(const MonthView& view) {
    return fmt::format("{} {} ({})", month_names[static_cast<unsigned>(view.month.month()) - 1],
                       static_cast<int>(view.month.year()), view.zone == nullptr ? "UTC" : view.zone->name());
}

std::string total_line(std::size_t n, const MonthView& view) {
    return fmt::format("{} post{} in {} {}", n, n == 1 ? "" : "s", month_names[static_cast<unsigned>(view.month.month()) - 1],
                       static_cast<int>(view.month.year()));
}

bool is_today(const MonthView& view, unsigned day) {
    return view.today == date::year_month_day{view.month.year(), view.month.month(), date::day{day}};
}

/// A day's first cell line: "12" or "[12]" on the left, "(3)" on the right when it has posts.
std::string day_cell(unsigned day, std::size_t count, bool today, bool reverse, std::size_t width) {
    const std::string label = today ? fmt::format("[{}]", day) : fmt::format("{}", day);
    std::string right = count == 0 ? "" : fmt::format("({})", count);
    if (label.size() + 1 + right.size() > width) right.clear();
    const std::string gap(width - label.size() - right.size(), ' ');
    if (today && reverse) return reverse_on + label + reverse_off + gap + right;
    return label + gap + right;
}

std::string post_cell(const CalendarPost& p, const date::time_zone* zone, std::size_t width) {
    const std::string head = local_hhmm(p.due, zone) + (needs_attention(p) ? "!" : " ");
    return head + fit_columns(p.text, width - head.size());
}

std::string border(std::size_t cell) {
    std::string line = "+";
    for (int d = 0; d < 7; ++d) line += std::string(cell, '-') + "+";
    return line;
}

std::string centered(const std::string& s, std::size_t width) {
    const std::size_t w = display_width(s);
    if (w >= width) return fit_columns(s, width, false);
    return std::string((width - w) / 2, ' ') + s;
}

std::vector<std::string> render_grid(const std::vector<std::vector<const CalendarPost*>>& days, std::size_t total,
                                     const MonthView& view) {
    const std::size_t cell = std::min(max_cell, (view.width - 8) / 7);
    const std::size_t line_width = 7 * cell + 8;
    std::vector<std::string> lines;
    lines.push_back(centered(title_of(view), line_width));
    lines.push_back(border(cell));
    std::string header = "|";
    for (const char* name : day_names) header += fit_columns(name, cell) + "|";
    lines.push_back(header);

    const unsigned last = static_cast<unsigned>((view.month / date::last).day());
    const unsigned lead = date::weekday{date::sys_days{view.month / 1}}.iso_encoding() - 1;  // Monday 0
    for (unsigned week_start = 0; week_start < lead + last; week_start += 7) {
        // Cells of this week: day numbers 1..last, or 0 outside the month.
        std::array<unsigned, 7> cells{};
        std::size_t rows = 0;
        for (unsigned c = 0; c < 7; ++c) {
            const unsigned slot = week_start + c;
            cells[c] = slot >= lead && slot < lead + last ? slot - lead + 1 : 0;
            if (cells[c] != 0) rows = std::max(rows, std::min(max_rows, days[cells[c] - 1].size()));
        }
        lines.push_back(border(cell));
        std::string top = "|";
        for (const unsigned d : cells) {
            top += (d == 0 ? std::string(cell, ' ')
                           : day_cell(d, days[d - 1].size(), is_today(view, d), view.reverse_video, cell)) +
                   "|";
        }
        lines.push_back(top);
        for (std::size_t r = 0; r < rows; ++r) {
            std::string line = "|";
            for (const unsigned d : cells) {
                const auto* posts = d == 0 ? nullptr : &days[d - 1];
                std::string text;
                if (posts == nullptr || r >= posts->size()) {
                    text = std::string(cell, ' ');
                } else if (r + 1 == rows && posts->size() > rows) {
                    text = fit_columns(fmt::format("+{} more", posts->size() - r), cell);
                } else {
                    text = post_cell(*(*posts)[r], view.zone, cell);
                }
                line += text + "|";
            }
            lines.push_back(line);
        }
    }
    lines.push_back(border(cell));
    lines.push_back(total_line(total, view));
    return lines;
}

}  // namespace

date::year_month parse_month(std::string_view text) {
    const auto bad = [&] {
        return Error("bad_input", fmt::format("--month must be YYYY-MM, e.g. 2026-12, not '{}'", text));
    };
    if (text.size() != 7 || text[4] != '-') throw bad();
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (i != 4 && (text[i] < '0' || text[i] > '9')) throw bad();
    }
    int year = 0;
    unsigned month = 0;
    std::from_chars(text.data(), text.data() + 4, year);
    std::from_chars(text.data() + 5, text.data() + 7, month);
    if (month < 1 || month > 12) {
        throw Error("bad_input", fmt::format("--month '{}': month {} does not exist (01..12)", text, month));
    }
    if (year < 1970) throw Error("bad_input", fmt::format("--month '{}': years before 1970 hold no posts", text));
    return date::year{year} / date::month{month};
}

std::string format_month(date::year_month month) {
    return fmt::format("{:04}-{:02}", static_cast<int>(month.year()), static_cast<unsigned>(month.month()));
}

MonthRange month_range(date::year_month month, const date::time_zone* zone) {
    const auto start_of = [zone](date::year_month m) {
        const date::local_seconds midnight{date::local_days{m / 1}.time_since_epoch()};
        if (zone == nullptr) return timeexpr::Seconds{midnight.time_since_epoch()};
        // A skipped midnight maps to the instant the day begins; a repeated one to its first time.
        return zone->to_sys(midnight, date::choose::earliest);
    };
    return {start_of(month), start_of(month + date::months{1})};
}

date::year_month_day local_date(timeexpr::Seconds t, const date::time_zone* zone) {
    const auto offset = zone == nullptr ? seconds(0) : zone->get_info(t).offset;
    return date::year_month_day{floor<date::days>(date::local_seconds{t.time_since_epoch() + offset})};
}

std::size_t min_grid_width() noexcept { return 7 * min_cell + 8; }

std::vector<std::vector<const CalendarPost*>> posts_by_day(const std::vector<CalendarPost>& posts,
                                                           date::year_month month, const date::time_zone* zone) {
    std::vector<std::vector<const CalendarPost*>> days(static_cast<unsigned>((month / date::last).day()));
    for (const auto& p : posts) {
        const auto d = local_date(p.due, zone);
        if (d.year() != month.year() || d.month() != month.month()) continue;
        days[static_cast<unsigned>(d.day()) - 1].push_back(&p);
    }
    for (auto& day : days) {
        std::sort(day.begin(), day.end(), [](const CalendarPost* a, const CalendarPost* b) {
            return a->due != b->due ? a->due < b->due : a->id < b->id;
        });
    }
    return days;
}

std::vector<std::string> render_month(const std::vector<CalendarPost>& posts, const MonthView& view) {
    if (view.width < min_grid_width()) return render_day_list(posts, view);
    const auto days = posts_by_day(posts, view.month, view.zone);
    std::size_t total = 0;
    for (const auto& d : days) total += d.size();
    return render_grid(days, total, view);
}

std::vector<std::string> render_day_list(const std::vector<CalendarPost>& posts, const MonthView& view) {
    const auto days = posts_by_day(posts, view.month, view.zone);
    std::vector<std::string> lines;
    lines.push_back(fit_columns(title_of(view), view.width, false));
    std::size_t total = 0;
    for (unsigned d = 1; d <= days.size(); ++d) {
        const auto& day = days[d - 1];
        total += day.size();
        const bool today = is_today(view, d);
        if (day.empty() && !today) continue;
        const date::year_month_day ymd{view.month.year(), view.month.month(), date::day{d}};
        const unsigned wd = date::weekday{date::sys_days{ymd}}.iso_encoding() - 1;
        std::string label = fmt::format("{} {:04}-{:02}-{:02}", day_names[wd], static_cast<int>(ymd.year()),
                                        static_cast<unsigned>(ymd.month()), d);
        if (today) label = "[" + label + "]";
        const std::string count =
            day.empty() ? "no posts" : fmt::format("{} post{}", day.size(), day.size() == 1 ? "" : "s");
        const std::string line = label + "  " + count + (today ? "  (today)" : "");
        if (display_width(line) > view.width) lines.push_back(fit_columns(line, view.width, false));
        else if (today && view.reverse_video) lines.push_back(reverse_on + label + reverse_off + line.substr(label.size()));
        else lines.push_back(line);
        for (const auto* p : day) {
            const std::string head = fmt::format("  {}{}{:<10} ", local_hhmm(p->due, view.zone),
                                                 needs_attention(*p) ? "! " : "  ", p->state);
            const std::size_t room = view.width > head.size() + 4 ? view.width - head.size() : 4;
            lines.push_back(head + fit_columns(p->text, room, false));
        }
    }
    lines.push_back(total_line(total, view));
    return lines;
}

}  // namespace growth::report
