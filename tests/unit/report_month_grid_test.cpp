// The month grid of `growthctl calendar`: weeks from Monday, posts on their local day (across DST
// changes and skipped midnights), today marked, every line within the width, the day list when
// seven columns do not fit, and --month's refusals. Instants come from GNU date and zdump
// (`TZ=Europe/Berlin date -d '2026-03-01 00:00' +%s`), weekdays from Python's datetime.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/report/cell_text.hpp"
#include "core/report/month_grid.hpp"

using namespace growth::report;
using growth::timeexpr::find_zone;

namespace {

growth::timeexpr::Seconds at(long long s) { return growth::timeexpr::Seconds{std::chrono::seconds{s}}; }

CalendarPost post(const std::string& id, long long due, const std::string& text, const std::string& state = "scheduled") {
    return CalendarPost{id, state, at(due), text, {{"work", "mastodon", state}}};
}

std::string refusal(const std::string& text) {
    try {
        parse_month(text);
    } catch (const growth::Error& e) {
        CHECK(e.kind() == "bad_input");
        return e.what();
    }
    return "(accepted)";
}

// February 2026 starts on a Sunday. Feb 1 09:00Z, Feb 28 08:15Z and 18:30Z (failed).
const std::vector<CalendarPost> february = {
    post("p1", 1769936400, "Hello world"),
    post("p2", 1772266500, "Weekly digest"),
    post("p3", 1772303400, "Oops", "failed"),
};
const date::year_month_day feb_2{date::year{2026}, date::month{2}, date::day{2}};

}  // namespace

TEST_CASE("a month starting on Sunday, at 60 columns: the whole grid") {
    const MonthView view{date::year{2026} / date::month{2}, feb_2, nullptr, 60, false};
    const std::vector<std::string> expected = {
        "                   February 2026 (UTC)",
        "+-------+-------+-------+-------+-------+-------+-------+",
        "|Mon    |Tue    |Wed    |Thu    |Fri    |Sat    |Sun    |",
        "+-------+-------+-------+-------+-------+-------+-------+",
        "|       |       |       |       |       |       |1   (1)|",
        "|       |       |       |       |       |       |09:00 H|",
        "+-------+-------+-------+-------+-------+-------+-------+",
        "|[2]    |3      |4      |5      |6      |7      |8      |",
        "+-------+-------+-------+-------+-------+-------+-------+",
        "|9      |10     |11     |12     |13     |14     |15     |",
        "+-------+-------+-------+-------+-------+-------+-------+",
        "|16     |17     |18     |19     |20     |21     |22     |",
        "+-------+-------+-------+-------+-------+-------+-------+",
        "|23     |24     |25     |26     |27     |28  (2)|       |",
        "|       |       |       |       |       |08:15 W|       |",
        "|       |       |       |       |       |18:30!O|       |",
        "+-------+-------+-------+-------+-------+-------+-------+",
        "3 posts in February 2026",
    };
    CHECK(render_month(february, view) == expected);
}

TEST_CASE("too narrow for seven columns: the day-by-day list, today included") {
    const MonthView view{date::year{2026} / date::month{2}, feb_2, nullptr, 56, false};
    const std::vector<std::string> expected = {
        "February 2026 (UTC)",
        "Sun 2026-02-01  1 post",
        "  09:00  scheduled  Hello world",
        "[Mon 2026-02-02]  no posts  (today)",
        "Sat 2026-02-28  2 posts",
        "  08:15  scheduled  Weekly digest",
        "  18:30! failed     Oops",
        "3 posts in February 2026",
    };
    CHECK(render_month(february, view) == expected);
    CHECK(min_grid_width() == 57);
}

TEST_CASE("today is in reverse video only when asked, and still in brackets") {
    MonthView view{date::year{2026} / date::month{2}, feb_2, nullptr, 80, true};
    const auto lines = render_month(february, view);
    CHECK(lines[7].rfind("|\x1b[7m[2]\x1b[0m ", 0) == 0);
    view.reverse_video = false;
    for (const auto& line : render_month(february, view)) CHECK(line.find('\x1b') == std::string::npos);
    view.width = 40;
    view.reverse_video = true;
    CHECK(render_month(february, view)[3] == "\x1b[7m[Mon 2026-02-02]\x1b[0m  no posts  (today)");
}

TEST_CASE("wider terminals get wider cells with more of each post, never a line too long") {
    std::vector<CalendarPost> posts = february;
    posts.push_back(post("p4", 1770800000, "日本語のテキストと絵文字 🧵🧵 mixed with ASCII words"));
    posts.push_back(post("p5", 1770800001, "Ünïcödé çømbining e\xCC\x81 marks and a very long tail of words"));
    for (std::size_t width = 30; width <= 200; ++width) {
        const MonthView view{date::year{2026} / date::month{2}, feb_2, find_zone("Europe/Berlin"), width, false};
        for (const auto& line : render_month(posts, view)) {
            CHECK_MESSAGE(display_width(line) <= width, width, ": ", line);
        }
    }
    const MonthView wide{date::year{2026} / date::month{2}, feb_2, nullptr, 127, false};  // 17-column cells
    const auto lines = render_month(february, wide);
    const std::string blank = std::string(17, ' ') + "|";
    CHECK(lines[5] == "|" + blank + blank + blank + blank + blank + blank + "09:00 Hello world|");
}

TEST_CASE("a day with more posts than rows ends in +N more") {
    std::vector<CalendarPost> posts;
    for (int k = 0; k < 6; ++k) posts.push_back(post("q" + std::to_string(k), 1770800000 + 60 * k, "post " + std::to_string(k)));
    const MonthView view{date::year{2026} / date::month{2}, feb_2, nullptr, 100, false};
    const auto lines = render_month(posts, view);
    // 2026-02-11 08:53Z is a Wednesday in the second full week.
    std::vector<std::string> cells;
    for (const auto& line : lines) {
        if (line.size() > 40 && line[0] == '|') cells.push_back(line.substr(1 + 2 * 14, 13));
    }
    CHECK(std::find(cells.begin(), cells.end(), "11        (6)") != cells.end());
    CHECK(std::find(cells.begin(), cells.end(), "08:53 post 0 ") != cells.end());
    CHECK(std::find(cells.begin(), cells.end(), "08:55 post 2 ") != cells.end());
    CHECK(std::find(cells.begin(), cells.end(), "+3 more      ") != cells.end());
    CHECK(std::find(cells.begin(), cells.end(), "08:56 post 3 ") == cells.end());
}

TEST_CASE("DST: a month's bounds and each post's day are local, on both sides of the change") {
    const auto* berlin = find_zone("Europe/Berlin");
    const auto march = date::year{2026} / date::month{3};
    const auto r = month_range(march, berlin);
    CHECK(r.begin == at(1772319600));  // 2026-03-01 00:00 CET
    CHECK(r.end == at(1774994400));    // 2026-04-01 00:00 CEST
    const auto october = month_range(date::year{2026} / date::month{10}, berlin);
    CHECK(october.begin == at(1790805600));  // 2026-10-01 00:00 CEST
    CHECK(october.end == at(1793487600));    // 2026-11-01 00:00 CET

    const std::vector<CalendarPost> posts = {
        post("mar1", 1772321400, "00:30 CET on March 1, still February in UTC"),
        post("mar29", 1774747800, "03:30 CEST, just after the jump"),
        post("mar31", 1774992600, "23:30 CEST on March 31"),
        post("apr1", 1774996200, "00:30 CEST on April 1, still March in UTC"),
    };
    const auto days = posts_by_day(posts, march, berlin);
    REQUIRE(days.size() == 31);
    CHECK(days[0].size() == 1);
    CHECK(days[0][0]->id == "mar1");
    CHECK(days[28].size() == 1);
    CHECK(days[30].size() == 1);
    CHECK(days[30][0]->id == "mar31");
    std::size_t in_march = 0;
    for (const auto& d : days) in_march += d.size();
    CHECK(in_march == 3);
    const auto april = posts_by_day(posts, date::year{2026} / date::month{4}, berlin);
    CHECK(april[0].size() == 1);
    CHECK(april[0][0]->id == "apr1");

    const MonthView view{march, date::year{2026} / date::month{3} / date::day{29}, berlin, 200, false};
    const auto lines = render_month(posts, view);
    CHECK(lines.front().find("March 2026 (Europe/Berlin)") != std::string::npos);
    CHECK(lines.back() == "3 posts in March 2026");
    bool shown_0030 = false, shown_0330 = false, shown_2330 = false;
    for (const auto& line : lines) {
        shown_0030 = shown_0030 || line.find("|00:30 00:30 CET") != std::string::npos;
        shown_0330 = shown_0330 || line.find("|03:30 03:30 CEST") != std::string::npos;
        shown_2330 = shown_2330 || line.find("|23:30 23:30 CEST") != std::string::npos;
    }
    CHECK(shown_0030);
    CHECK(shown_0330);
    CHECK(shown_2330);
}

TEST_CASE("a skipped local midnight: the month begins when its first day does") {
    // America/Asuncion went from 2023-10-01 00:00 -04 straight to 01:00 -03 (zdump).
    const auto r = month_range(date::year{2023} / date::month{10}, find_zone("America/Asuncion"));
    CHECK(r.begin == at(1696132800));  // 2023-10-01T04:00:00Z
    CHECK(r.end == at(1698807600));    // 2023-11-01 00:00 -03
}

TEST_CASE("February 2028 has 29 days and starts on a Tuesday") {
    const std::vector<CalendarPost> posts = {post("leap", 1835438400, "Leap day")};  // 2028-02-29T12:00Z
    const auto month = date::year{2028} / date::month{2};
    const auto days = posts_by_day(posts, month, nullptr);
    REQUIRE(days.size() == 29);
    CHECK(days[28].size() == 1);
    const MonthView view{month, date::year{2028} / date::month{1} / date::day{15}, nullptr, 60, false};
    const std::vector<std::string> lines = render_month(posts, view);
    REQUIRE(lines.size() == 16);
    CHECK(lines[4] == "|       |1      |2      |3      |4      |5      |6      |");
    CHECK(lines[12] == "|28     |29  (1)|       |       |       |       |       |");
    CHECK(lines[13] == "|       |12:00 L|       |       |       |       |       |");
    CHECK(lines[15] == "1 post in February 2028");
    for (const auto& line : lines) CHECK(line.find('[') == std::string::npos);  // today is in January
}

TEST_CASE("--month takes YYYY-MM and names what is wrong otherwise") {
    CHECK(parse_month("2026-12") == date::year{2026} / date::month{12});
    CHECK(parse_month("2028-02") == date::year{2028} / date::month{2});
    CHECK(refusal("2026-13") == "--month '2026-13': month 13 does not exist (01..12)");
    CHECK(refusal("2026-00") == "--month '2026-00': month 0 does not exist (01..12)");
    CHECK(refusal("foo") == "--month must be YYYY-MM, e.g. 2026-12, not 'foo'");
    CHECK(refusal("2026-1") == "--month must be YYYY-MM, e.g. 2026-12, not '2026-1'");
    CHECK(refusal("2026/12") == "--month must be YYYY-MM, e.g. 2026-12, not '2026/12'");
    CHECK(refusal("1969-12") == "--month '1969-12': years before 1970 hold no posts");
    CHECK(format_month(date::year{2026} / date::month{3}) == "2026-03");
}

TEST_CASE("cells are cut by terminal columns: wide characters count two, never split") {
    CHECK(display_width("abc") == 3);
    CHECK(display_width("日本") == 4);
    CHECK(display_width("🧵") == 2);
    CHECK(display_width("e\xCC\x81") == 1);
    CHECK(fit_columns("日本語", 5) == "日...");
    CHECK(fit_columns("日本語", 6) == "日本語");
    CHECK(fit_columns("ab\ncd", 6) == "ab cd ");
    CHECK(fit_columns("abcdef", 2) == "ab");
    CHECK(fit_columns("日本", 1) == " ");
}
