#include "cli/calendar.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/failure.hpp"
#include "cli/session.hpp"
#include "core/config/config.hpp"
#include "core/paths.hpp"
#include "core/report/ics.hpp"
#include "core/report/month_grid.hpp"
#include "core/time/when.hpp"

namespace growth::cli {

namespace {

using report::CalendarPost;

/// What the grid shows: every post but the cancelled ones.
const std::vector<std::string> grid_states = {"scheduled", "publishing", "published", "partial",
                                              "failed",    "unknown",    "missed",    "needs_auth"};
/// What the iCalendar export holds: posts that are going out or went out, at least in part.
const std::vector<std::string> ics_states = {"scheduled", "publishing", "published", "partial"};

timeexpr::Seconds now_seconds() {
    return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

/// $COLUMNS when set to a number, else the terminal's width, else 80.
std::size_t output_width() {
    if (const char* c = std::getenv("COLUMNS"); c != nullptr && *c != '\0') {
        char* end = nullptr;
        const long n = std::strtol(c, &end, 10);
        if (*end == '\0' && n > 0 && n < 10000) return static_cast<std::size_t>(n);
    }
    winsize ws{};
    if (::isatty(STDOUT_FILENO) == 1 && ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
    return 80;
}

/// Reverse video only on a terminal that can show it, and never under NO_COLOR or TERM=dumb.
bool reverse_video_ok() {
    const char* no_color = std::getenv("NO_COLOR");
    const char* term = std::getenv("TERM");
    return ::isatty(STDOUT_FILENO) == 1 && !(no_color && *no_color) && term && *term && std::strcmp(term, "dumb") != 0;
}

CalendarPost post_of(const rpc::Json& p) {
    CalendarPost post;
    post.id = string_field(p, "id");
    post.state = string_field(p, "state");
    post.text = string_field(p, "text");
    post.due = timeexpr::parse_when(string_field(p, "due"), {now_seconds(), "UTC", timeexpr::Fold::none}).instant;
    for (const auto& t : p.value("targets", rpc::Json::array())) {
        post.targets.push_back({string_field(t, "account"), string_field(t, "platform"), string_field(t, "state")});
    }
    return post;
}

/// Every post post.list gives for `params`, following next_cursor to the last page; oldest first.
std::vector<CalendarPost> fetch_posts(const GlobalOptions& global, rpc::Json params) {
    auto connection = connect_daemon(global);
    params["limit"] = 1000;
    std::vector<CalendarPost> posts;
    for (;;) {
        const rpc::Json page = connection->call("post.list", params);
        for (const auto& p : page.value("posts", rpc::Json::array())) posts.push_back(post_of(p));
        if (!page.contains("next_cursor") || !page["next_cursor"].is_string()) break;
        params["cursor"] = page["next_cursor"];
    }
    std::reverse(posts.begin(), posts.end());  // post.list pages newest first
    return posts;
}

struct CalendarOptions {
    std::string month, tz;
    bool ics = false;
    bool json = false;
};

int run_calendar(const CalendarOptions& o, const GlobalOptions& global) {
    const bool json = global.json || o.json;
    if (json && o.ics) throw Failure(ExitCode::usage, "bad_input", "--ics and --json are two different outputs; give one");
    // Everything the user typed is checked before growthd is asked anything.
    std::optional<date::year_month> month;
    if (!o.month.empty()) month = report::parse_month(o.month);
    const std::string zone_name = o.tz.empty() ? load_config(paths::config_file()).schedule_zone : o.tz;
    const date::time_zone* zone = timeexpr::find_zone(zone_name);
    const auto now = now_seconds();
    const auto today = report::local_date(now, zone);
    if (!month && !o.ics) month = today.year() / today.month();

    rpc::Json params{{"state", o.ics ? ics_states : grid_states}};
    if (month) {
        const auto range = report::month_range(*month, zone);
        params["from"] = timeexpr::format_utc(range.begin);
        params["to"] = timeexpr::format_utc(range.end);  // inclusive: the next month's posts are dropped below
    }
    std::vector<CalendarPost> posts = fetch_posts(global, params);
    if (month) {
        std::erase_if(posts, [&](const CalendarPost& p) {
            const auto d = report::local_date(p.due, zone);
            return d.year() != month->year() || d.month() != month->month();
        });
    }

    if (o.ics) {
        const std::string out = report::ics_calendar(posts, now);
        std::fwrite(out.data(), 1, out.size(), stdout);
        return 0;
    }
    if (json) {
        const auto days = report::posts_by_day(posts, *month, zone);
        rpc::Json list = rpc::Json::array();
        for (std::size_t d = 0; d < days.size(); ++d) {
            rpc::Json ids = rpc::Json::array();
            for (const auto* p : days[d]) ids.push_back(p->id);
            list.push_back({{"date", fmt::format("{}-{:02}", report::format_month(*month), d + 1)}, {"posts", ids}});
        }
        std::printf("%s\n", rpc::Json{{"month", report::format_month(*month)}, {"tz", zone->name()}, {"days", list}}
                                .dump()
                                .c_str());
        return 0;
    }
    const report::MonthView view{*month, today, zone, output_width(), reverse_video_ok()};
    for (const auto& line : report::render_month(posts, view)) std::printf("%s\n", line.c_str());
    return 0;
}

}  // namespace

void add_calendar_command(CLI::App& app, const GlobalOptions& global, int& exit_code) {
    auto o = std::make_shared<CalendarOptions>();
    auto* cmd = app.add_subcommand("calendar", "Show a month of posts as a calendar, or export them as iCalendar (--ics)");
    cmd->add_option("--month", o->month, "The month to show, YYYY-MM (default: this month)");
    cmd->add_option("--tz", o->tz, "Time zone the days are in (IANA name; default: [schedule] zone, else the system's)");
    cmd->add_flag("--ics", o->ics, "Print an iCalendar (RFC 5545) file of scheduled and published posts "
                                   "(all of them, or --month's)");
    cmd->add_flag("--json", o->json, "Print one JSON object for scripts: each day's post ids");
    cmd->callback([o, &global, &exit_code] { exit_code = run_calendar(*o, global); });
}

}  // namespace growth::cli
