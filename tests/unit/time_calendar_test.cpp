// Calendar events as systemd 252 reads them: the normalized form and the next elapses, golden
// values printed by `systemd-analyze calendar --iterations=5 --base-time=@EPOCH SPEC` on this
// machine (TZ=ZONE, the "(in UTC)" lines), never by this code; DST gaps and folds in
// Europe/Berlin and America/New_York; errors that name the bad component; bounds.
#include <doctest/doctest.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

#include "core/error.hpp"
#include "core/time/calendar.hpp"

using growth::timeexpr::CalendarEvent;
using std::chrono::sys_seconds;

namespace {

sys_seconds at(const std::string& text) {
    // Read by hand: gcc 12 at -O2 warns (maybe-uninitialized) inside date::parse.
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
    REQUIRE_MESSAGE(std::sscanf(text.c_str(), "%d-%d-%d %d:%d:%d", &y, &mo, &d, &h, &mi, &sec) == 6, text);
    const auto day = date::sys_days(date::year(y) / mo / d);
    return day + std::chrono::hours(h) + std::chrono::minutes(mi) + std::chrono::seconds(sec);
}

std::string text(sys_seconds t) { return date::format("%F %T", t); }

std::vector<std::string> elapses(const CalendarEvent& e, sys_seconds after, const date::time_zone* zone, int n) {
    std::vector<std::string> out;
    for (int i = 0; i < n; ++i) {
        const auto next = e.next_after(after, zone);
        if (!next) break;
        out.push_back(text(*next));
        after = *next;
    }
    return out;
}

std::string error_of(std::string_view spec) {
    try {
        CalendarEvent::parse(spec);
    } catch (const growth::Error& e) {
        return e.kind() + ": " + e.what();
    }
    return "no error";
}

struct Golden {
    const char* spec;
    const char* zone;  ///< the zone passed to next_after (a spec's own zone overrides it)
    const char* base;
    const char* normalized;
    std::vector<std::string> next;
};

const std::vector<Golden> golden = {
    {"Mon..Fri 09:00", "UTC", "2027-03-27 12:00:00", "Mon..Fri *-*-* 09:00:00", {"2027-03-29 09:00:00", "2027-03-30 09:00:00", "2027-03-31 09:00:00", "2027-04-01 09:00:00", "2027-04-02 09:00:00"}},
    {"*-*-* 08,12,18:00", "UTC", "2027-03-27 12:00:00", "*-*-* 08,12,18:00:00", {"2027-03-27 18:00:00", "2027-03-28 08:00:00", "2027-03-28 12:00:00", "2027-03-28 18:00:00", "2027-03-29 08:00:00"}},
    {"*-*-01 12:00", "UTC", "2027-03-27 12:00:00", "*-*-01 12:00:00", {"2027-04-01 12:00:00", "2027-05-01 12:00:00", "2027-06-01 12:00:00", "2027-07-01 12:00:00", "2027-08-01 12:00:00"}},
    {"*-02-29", "UTC", "2027-03-27 12:00:00", "*-02-29 00:00:00", {"2028-02-29 00:00:00", "2032-02-29 00:00:00", "2036-02-29 00:00:00", "2040-02-29 00:00:00", "2044-02-29 00:00:00"}},
    {"*:0/15", "UTC", "2027-03-27 12:00:00", "*-*-* *:00/15:00", {"2027-03-27 12:15:00", "2027-03-27 12:30:00", "2027-03-27 12:45:00", "2027-03-27 13:00:00", "2027-03-27 13:15:00"}},
    {"08..18/2:00", "UTC", "2027-03-27 12:00:00", "*-*-* 08..18/2:00:00", {"2027-03-27 14:00:00", "2027-03-27 16:00:00", "2027-03-27 18:00:00", "2027-03-28 08:00:00", "2027-03-28 10:00:00"}},
    {"Mon *-*-1..7 09:00", "UTC", "2027-03-27 12:00:00", "Mon *-*-01..07 09:00:00", {"2027-04-05 09:00:00", "2027-05-03 09:00:00", "2027-06-07 09:00:00", "2027-07-05 09:00:00", "2027-08-02 09:00:00"}},
    {"*-*~01", "UTC", "2027-03-27 12:00:00", "*-*~01 00:00:00", {"2027-03-31 00:00:00", "2027-04-30 00:00:00", "2027-05-31 00:00:00", "2027-06-30 00:00:00", "2027-07-31 00:00:00"}},
    {"Mon *-05~07/1", "UTC", "2027-03-27 12:00:00", "Mon *-05~07/1 00:00:00", {"2027-05-31 00:00:00", "2028-05-29 00:00:00", "2029-05-28 00:00:00", "2030-05-27 00:00:00", "2031-05-26 00:00:00"}},
    {"minutely", "UTC", "2027-03-27 12:00:00", "*-*-* *:*:00", {"2027-03-27 12:01:00", "2027-03-27 12:02:00", "2027-03-27 12:03:00", "2027-03-27 12:04:00", "2027-03-27 12:05:00"}},
    {"hourly", "UTC", "2027-03-27 12:00:00", "*-*-* *:00:00", {"2027-03-27 13:00:00", "2027-03-27 14:00:00", "2027-03-27 15:00:00", "2027-03-27 16:00:00", "2027-03-27 17:00:00"}},
    {"daily", "UTC", "2027-03-27 12:00:00", "*-*-* 00:00:00", {"2027-03-28 00:00:00", "2027-03-29 00:00:00", "2027-03-30 00:00:00", "2027-03-31 00:00:00", "2027-04-01 00:00:00"}},
    {"weekly", "UTC", "2027-03-27 12:00:00", "Mon *-*-* 00:00:00", {"2027-03-29 00:00:00", "2027-04-05 00:00:00", "2027-04-12 00:00:00", "2027-04-19 00:00:00", "2027-04-26 00:00:00"}},
    {"monthly", "UTC", "2027-03-27 12:00:00", "*-*-01 00:00:00", {"2027-04-01 00:00:00", "2027-05-01 00:00:00", "2027-06-01 00:00:00", "2027-07-01 00:00:00", "2027-08-01 00:00:00"}},
    {"yearly", "UTC", "2027-03-27 12:00:00", "*-01-01 00:00:00", {"2028-01-01 00:00:00", "2029-01-01 00:00:00", "2030-01-01 00:00:00", "2031-01-01 00:00:00", "2032-01-01 00:00:00"}},
    {"annually", "UTC", "2027-03-27 12:00:00", "*-01-01 00:00:00", {"2028-01-01 00:00:00", "2029-01-01 00:00:00", "2030-01-01 00:00:00", "2031-01-01 00:00:00", "2032-01-01 00:00:00"}},
    {"quarterly", "UTC", "2027-03-27 12:00:00", "*-01,04,07,10-01 00:00:00", {"2027-04-01 00:00:00", "2027-07-01 00:00:00", "2027-10-01 00:00:00", "2028-01-01 00:00:00", "2028-04-01 00:00:00"}},
    {"semiannually", "UTC", "2027-03-27 12:00:00", "*-01,07-01 00:00:00", {"2027-07-01 00:00:00", "2028-01-01 00:00:00", "2028-07-01 00:00:00", "2029-01-01 00:00:00", "2029-07-01 00:00:00"}},
    {"Sat,Sun 10:30", "UTC", "2027-03-27 12:00:00", "Sat,Sun *-*-* 10:30:00", {"2027-03-28 10:30:00", "2027-04-03 10:30:00", "2027-04-04 10:30:00", "2027-04-10 10:30:00", "2027-04-11 10:30:00"}},
    {"*-*-* 23:59:59", "UTC", "2027-03-27 12:00:00", "*-*-* 23:59:59", {"2027-03-27 23:59:59", "2027-03-28 23:59:59", "2027-03-29 23:59:59", "2027-03-30 23:59:59", "2027-03-31 23:59:59"}},
    {"2028-*-* 00:00", "UTC", "2027-03-27 12:00:00", "2028-*-* 00:00:00", {"2028-01-01 00:00:00", "2028-01-02 00:00:00", "2028-01-03 00:00:00", "2028-01-04 00:00:00", "2028-01-05 00:00:00"}},
    {"*-02-30", "UTC", "2027-03-27 12:00:00", "*-02-30 00:00:00", {}},
    {"Mon,Wed..Fri *-*-* 7,19:45", "UTC", "2027-03-27 12:00:00", "Mon,Wed..Fri *-*-* 07,19:45:00", {"2027-03-29 07:45:00", "2027-03-29 19:45:00", "2027-03-31 07:45:00", "2027-03-31 19:45:00", "2027-04-01 07:45:00"}},
    {"*-*~03..05/2", "UTC", "2027-03-27 12:00:00", "*-*~03..05/2 00:00:00", {"2027-03-29 00:00:00", "2027-04-26 00:00:00", "2027-04-28 00:00:00", "2027-05-27 00:00:00", "2027-05-29 00:00:00"}},
    {"*:*:0/20", "UTC", "2027-03-27 12:00:00", "*-*-* *:*:00/20", {"2027-03-27 12:00:20", "2027-03-27 12:00:40", "2027-03-27 12:01:00", "2027-03-27 12:01:20", "2027-03-27 12:01:40"}},
    {"2027-03-27 12:00:00", "UTC", "2027-03-27 12:00:00", "2027-03-27 12:00:00", {}},
    {"Fri *-*-13", "UTC", "2027-03-27 12:00:00", "Fri *-*-13 00:00:00", {"2027-08-13 00:00:00", "2028-10-13 00:00:00", "2029-04-13 00:00:00", "2029-07-13 00:00:00", "2030-09-13 00:00:00"}},
    {"*-*-* 02:30", "Europe/Berlin", "2027-03-27 12:00:00", "*-*-* 02:30:00", {"2027-03-29 00:30:00", "2027-03-30 00:30:00", "2027-03-31 00:30:00", "2027-04-01 00:30:00", "2027-04-02 00:30:00"}},
    {"*-*-* 02:30", "Europe/Berlin", "2027-10-30 12:00:00", "*-*-* 02:30:00", {"2027-10-31 00:30:00", "2027-11-01 01:30:00", "2027-11-02 01:30:00", "2027-11-03 01:30:00", "2027-11-04 01:30:00"}},
    {"daily", "Europe/Berlin", "2027-03-27 12:00:00", "*-*-* 00:00:00", {"2027-03-27 23:00:00", "2027-03-28 22:00:00", "2027-03-29 22:00:00", "2027-03-30 22:00:00", "2027-03-31 22:00:00"}},
    {"daily", "Europe/Berlin", "2027-10-30 12:00:00", "*-*-* 00:00:00", {"2027-10-30 22:00:00", "2027-10-31 23:00:00", "2027-11-01 23:00:00", "2027-11-02 23:00:00", "2027-11-03 23:00:00"}},
    {"hourly", "Europe/Berlin", "2027-03-27 12:00:00", "*-*-* *:00:00", {"2027-03-27 13:00:00", "2027-03-27 14:00:00", "2027-03-27 15:00:00", "2027-03-27 16:00:00", "2027-03-27 17:00:00"}},
    {"hourly", "Europe/Berlin", "2027-10-30 12:00:00", "*-*-* *:00:00", {"2027-10-30 13:00:00", "2027-10-30 14:00:00", "2027-10-30 15:00:00", "2027-10-30 16:00:00", "2027-10-30 17:00:00"}},
    {"Mon..Fri 09:00", "Europe/Berlin", "2027-03-27 12:00:00", "Mon..Fri *-*-* 09:00:00", {"2027-03-29 07:00:00", "2027-03-30 07:00:00", "2027-03-31 07:00:00", "2027-04-01 07:00:00", "2027-04-02 07:00:00"}},
    {"Mon..Fri 09:00", "Europe/Berlin", "2027-10-30 12:00:00", "Mon..Fri *-*-* 09:00:00", {"2027-11-01 08:00:00", "2027-11-02 08:00:00", "2027-11-03 08:00:00", "2027-11-04 08:00:00", "2027-11-05 08:00:00"}},
    {"*-*-* 02,03:00", "Europe/Berlin", "2027-03-27 12:00:00", "*-*-* 02,03:00:00", {"2027-03-28 01:00:00", "2027-03-29 00:00:00", "2027-03-29 01:00:00", "2027-03-30 00:00:00", "2027-03-30 01:00:00"}},
    {"*-*-* 02,03:00", "Europe/Berlin", "2027-10-30 12:00:00", "*-*-* 02,03:00:00", {"2027-10-31 00:00:00", "2027-10-31 02:00:00", "2027-11-01 01:00:00", "2027-11-01 02:00:00", "2027-11-02 01:00:00"}},
    {"*-*~01 02:30", "Europe/Berlin", "2027-03-27 12:00:00", "*-*~01 02:30:00", {"2027-03-31 00:30:00", "2027-04-30 00:30:00", "2027-05-31 00:30:00", "2027-06-30 00:30:00", "2027-07-31 00:30:00"}},
    {"*-*~01 02:30", "Europe/Berlin", "2027-10-30 12:00:00", "*-*~01 02:30:00", {"2027-10-31 00:30:00", "2027-11-30 01:30:00", "2027-12-31 01:30:00", "2028-01-31 01:30:00", "2028-02-29 01:30:00"}},
    {"*:0/20", "Europe/Berlin", "2027-03-28 00:20:00", "*-*-* *:00/20:00", {"2027-03-28 00:40:00", "2027-03-28 01:00:00", "2027-03-28 01:20:00", "2027-03-28 01:40:00", "2027-03-28 02:00:00"}},
    {"*:0/20", "Europe/Berlin", "2027-10-31 00:20:00", "*-*-* *:00/20:00", {"2027-10-31 00:40:00", "2027-10-31 02:00:00", "2027-10-31 02:20:00", "2027-10-31 02:40:00", "2027-10-31 03:00:00"}},
    {"*-*-* 02:30", "Europe/Berlin", "2027-10-31 01:10:00", "*-*-* 02:30:00", {"2027-10-31 01:30:00", "2027-11-01 01:30:00", "2027-11-02 01:30:00", "2027-11-03 01:30:00", "2027-11-04 01:30:00"}},
    {"*:0/20", "Europe/Berlin", "2027-10-31 01:10:00", "*-*-* *:00/20:00", {"2027-10-31 01:20:00", "2027-10-31 01:40:00", "2027-10-31 02:00:00", "2027-10-31 02:20:00", "2027-10-31 02:40:00"}},
    {"hourly", "Europe/Berlin", "2027-10-30 23:30:00", "*-*-* *:00:00", {"2027-10-31 00:00:00", "2027-10-31 02:00:00", "2027-10-31 03:00:00", "2027-10-31 04:00:00", "2027-10-31 05:00:00"}},
    {"*-*-* 02:30", "America/New_York", "2027-03-13 12:00:00", "*-*-* 02:30:00", {"2027-03-15 06:30:00", "2027-03-16 06:30:00", "2027-03-17 06:30:00", "2027-03-18 06:30:00", "2027-03-19 06:30:00"}},
    {"*:0/30", "America/New_York", "2027-03-14 06:20:00", "*-*-* *:00/30:00", {"2027-03-14 06:30:00", "2027-03-14 07:00:00", "2027-03-14 07:30:00", "2027-03-14 08:00:00", "2027-03-14 08:30:00"}},
    {"*-*-* 01:30", "America/New_York", "2027-11-06 12:00:00", "*-*-* 01:30:00", {"2027-11-07 05:30:00", "2027-11-08 06:30:00", "2027-11-09 06:30:00", "2027-11-10 06:30:00", "2027-11-11 06:30:00"}},
    {"*:0/30", "America/New_York", "2027-11-07 05:10:00", "*-*-* *:00/30:00", {"2027-11-07 05:30:00", "2027-11-07 07:00:00", "2027-11-07 07:30:00", "2027-11-07 08:00:00", "2027-11-07 08:30:00"}},
    {"*:0/30", "America/New_York", "2027-11-07 06:10:00", "*-*-* *:00/30:00", {"2027-11-07 06:30:00", "2027-11-07 07:00:00", "2027-11-07 07:30:00", "2027-11-07 08:00:00", "2027-11-07 08:30:00"}},
    {"hourly", "America/New_York", "2027-11-07 04:30:00", "*-*-* *:00:00", {"2027-11-07 05:00:00", "2027-11-07 07:00:00", "2027-11-07 08:00:00", "2027-11-07 09:00:00", "2027-11-07 10:00:00"}},
    {"*-*-* 09:00 Europe/Berlin", "Asia/Tokyo", "2027-03-27 12:00:00", "*-*-* 09:00:00 Europe/Berlin", {"2027-03-28 07:00:00", "2027-03-29 07:00:00", "2027-03-30 07:00:00", "2027-03-31 07:00:00", "2027-04-01 07:00:00"}},
    {"daily UTC", "Asia/Tokyo", "2027-03-27 12:00:00", "*-*-* 00:00:00 UTC", {"2027-03-28 00:00:00", "2027-03-29 00:00:00", "2027-03-30 00:00:00", "2027-03-31 00:00:00", "2027-04-01 00:00:00"}},
    {"*-*-* 02:30 America/New_York", "Asia/Tokyo", "2027-03-13 12:00:00", "*-*-* 02:30:00 America/New_York", {"2027-03-15 06:30:00", "2027-03-16 06:30:00", "2027-03-17 06:30:00", "2027-03-18 06:30:00", "2027-03-19 06:30:00"}},
};

}  // namespace

TEST_CASE("calendar golden table: normalized form and next five elapses from systemd-analyze") {
    for (const auto& row : golden) {
        const std::string spec = row.spec, zone = row.zone, base = row.base;
        INFO("spec '" << spec << "' in " << zone << " after " << base);
        const auto e = CalendarEvent::parse(spec);
        CHECK(e.normalized() == row.normalized);
        CHECK(elapses(e, at(row.base), date::locate_zone(zone), 5) == row.next);
    }
}

TEST_CASE("calendar normalized form parses back to itself") {
    for (const auto& row : golden) {
        const std::string normalized = row.normalized;
        INFO(normalized);
        CHECK(CalendarEvent::parse(normalized).normalized() == normalized);
    }
}

TEST_CASE("calendar wall times in a fold fire once and elapses only go forward") {
    // hourly in Berlin across 2027-10-31: 02:00 CEST fires, 02:00 CET (01:00 UTC) does not.
    const auto e = CalendarEvent::parse("*:00/30");
    const auto got = elapses(e, at("2027-10-30 23:50:00"), date::locate_zone("Europe/Berlin"), 6);
    const std::vector<std::string> want{"2027-10-31 00:00:00", "2027-10-31 00:30:00", "2027-10-31 02:00:00",
                                        "2027-10-31 02:30:00", "2027-10-31 03:00:00", "2027-10-31 03:30:00"};
    CHECK(got == want);
}

TEST_CASE("calendar next_after with no zone evaluates in UTC") {
    const auto e = CalendarEvent::parse("*-*-* 09:00");
    CHECK(e.next_after(at("2027-03-27 12:00:00"), nullptr) == at("2027-03-28 09:00:00"));
}

TEST_CASE("calendar accepts what systemd accepts in its own spelling") {
    struct Row {
        const char* spec;
        const char* normalized;  // from systemd-analyze calendar
    };
    const std::vector<Row> rows = {
        {"mon..fri", "Mon..Fri *-*-* 00:00:00"},
        {"Monday", "Mon *-*-* 00:00:00"},
        {"Mon-Wed", "Mon..Wed *-*-* 00:00:00"},
        {"Mon,", "Mon *-*-* 00:00:00"},
        {"Sun,Mon", "Mon,Sun *-*-* 00:00:00"},
        {"Mon..Tue", "Mon,Tue *-*-* 00:00:00"},
        {"Thu,Mon..Tue", "Mon,Tue,Thu *-*-* 00:00:00"},
        {"Mon..Sun", "*-*-* 00:00:00"},
        {"Mon  9:00", "Mon *-*-* 09:00:00"},
        {"DAILY", "*-*-* 00:00:00"},
        {"bi-annually", "*-01,07-01 00:00:00"},
        {"27-1-1", "2027-01-01 00:00:00"},
        {"99-1-1", "1999-01-01 00:00:00"},
        {"69-1-1", "2069-01-01 00:00:00"},
        {"20/2-1-1", "2020/2-01-01 00:00:00"},
        {"1970..2199/100-1-1", "1970..2170/100-01-01 00:00:00"},
        {"01-01", "*-01-01 00:00:00"},
        {"*~01", "*-*~01 00:00:00"},
        {"*-*~*", "*-*-* 00:00:00"},
        {"*-*~2,1", "*-*~01,02 00:00:00"},
        {"*-*~1,2,22", "*-*~01,02,22 00:00:00"},
        {"*-*~28/27", "*-*~28/27 00:00:00"},
        {"*-*~1..28/28", "*-*~01 00:00:00"},
        {"*-*-1..31/31", "*-*-01 00:00:00"},
        {"8..9/3:00", "*-*-* 08:00:00"},
        {"8,8..8:00", "*-*-* 08:00:00"},
        {"*-*-* 0..23/1:0", "*-*-* 00..23:00:00"},
        {"0/1:00", "*-*-* 00/1:00:00"},
        {"*:*:0/1", "*-*-* *:*:*"},
        {"*:*:0..59", "*-*-* *:*:00..59"},
        {"*:*:0..59/7", "*-*-* *:*:00..56/7"},
        {"*-*-* 8:00:05.000000", "*-*-* 08:00:05"},
        {"0000000000000000000000008:00", "*-*-* 08:00:00"},
        {"*-*-* 9:00 utc", "*-*-* 09:00:00 UTC"},
        {"Mon 9:00 Etc/GMT-1", "Mon *-*-* 09:00:00 Etc/GMT-1"},
        {"9:00 CET", "*-*-* 09:00:00 CET"},
    };
    for (const auto& row : rows) {
        const std::string spec = row.spec;
        INFO(spec);
        CHECK(CalendarEvent::parse(spec).normalized() == row.normalized);
    }
}

TEST_CASE("calendar bad specs name the bad component") {
    struct Row {
        const char* spec;
        const char* error;
    };
    const std::vector<Row> rows = {
        {"Mon..Fry 09:00", "calendar 'Mon..Fry 09:00': unknown weekday 'Fry' (Mon..Sun)"},
        {"Mond 9:00", "calendar 'Mond 9:00': unknown weekday 'Mond' (Mon..Sun)"},
        {"Sat..Mon", "calendar 'Sat..Mon': weekday range 'Sat..Mon' runs backwards (weeks run Mon..Sun)"},
        {"Mon.. 9:00", "calendar 'Mon.. 9:00': open weekday range 'Mon..'"},
        {"Mon,,Tue", "calendar 'Mon,,Tue': empty weekday in 'Mon,,Tue'"},
        {"*-*-1..7 Mon", "calendar '*-*-1..7 Mon': weekdays go first: 'Mon *-*-1..7'"},
        {"12:00 Mon", "calendar '12:00 Mon': weekdays go first: 'Mon 12:00'"},
        {"dialy", "calendar 'dialy': unknown shorthand 'dialy'; did you mean daily?"},
        {"daily 9:00", "calendar 'daily 9:00': unknown weekday 'daily' (Mon..Sun)"},
        {"*-*-* 9:00 Europe/Berln",
         "calendar '*-*-* 9:00 Europe/Berln': unknown time zone 'Europe/Berln'; did you mean Europe/Berlin? "
         "(an IANA name such as Europe/Berlin, or UTC)"},
        {"*-*-* 9:00 europe/berlin",
         "calendar '*-*-* 9:00 europe/berlin': unknown time zone 'europe/berlin'; did you mean Europe/Berlin? "
         "(an IANA name such as Europe/Berlin, or UTC)"},
        {"24:00", "calendar '24:00': hour '24' is out of range (0..23)"},
        {"12:00:60", "calendar '12:00:60': second '60' is out of range (0..59)"},
        {"*-13-1", "calendar '*-13-1': month '13' is out of range (1..12)"},
        {"*-*-32", "calendar '*-*-32': day '32' is out of range (1..31)"},
        {"*-*-0", "calendar '*-*-0': day '0' is out of range (1..31)"},
        {"2200-01-01", "calendar '2200-01-01': year '2200' is out of range (1970..2199)"},
        {"1969-01-01", "calendar '1969-01-01': year '1969' is out of range (1970..2199)"},
        {"*-*~29", "calendar '*-*~29': day '~29' is out of range (~01..~28)"},
        {"*-*~1,26", "calendar '*-*~1,26': day '~26' is out of range (~01..~25)"},
        {"*-*~1/1", "calendar '*-*~1/1': day '~1/1' never repeats within ~01..~28"},
        {"*-*-* 22/2:00", "calendar '*-*-* 22/2:00': hour '22/2' never repeats within 0..23"},
        {"*:58/2", "calendar '*:58/2': minute '58/2' never repeats within 0..59"},
        {"1..31/40", "calendar '1..31/40': date '1..31/40' is neither YEAR-MONTH-DAY nor MONTH-DAY"},
        {"*-*-1/31", "calendar '*-*-1/31': day '1/31' never repeats within 1..31"},
        {"5..3:00", "calendar '5..3:00': hour '5..3' runs backwards"},
        {"0:0/0", "calendar '0:0/0': minute '0/0' repeats every 0"},
        {"*:*:5..5", "calendar '*:*:5..5': second range '5..5' is empty"},
        {"*:*:0.5",
         "calendar '*:*:0.5': second '0.5': fractions of a second are not supported (whole seconds only)"},
        {"*-*-* 8:00:05.", "calendar '*-*-* 8:00:05.': second '05.' is not a number, range or repeat"},
        {"*/2:00", "calendar '*/2:00': hour '*/2' is not a number, range or repeat"},
        {"0x10:00", "calendar '0x10:00': hour '0x10' is not a number, range or repeat"},
        {"99999999999:00", "calendar '99999999999:00': hour '99999999999' is out of range (0..23)"},
        {"8,:00", "calendar '8,:00': hour '8,' has an empty value"},
        {"9", "calendar '9': date '9' is neither YEAR-MONTH-DAY nor MONTH-DAY"},
        {"1-2-3-4", "calendar '1-2-3-4': date '1-2-3-4' is neither YEAR-MONTH-DAY nor MONTH-DAY"},
        {"*~01-01", "calendar '*~01-01': date '*~01-01': '~' may only come before the day"},
        {"09:00:00:00",
         "calendar '09:00:00:00': time '09:00:00:00' is neither HOUR:MINUTE nor HOUR:MINUTE:SECOND"},
        {"9:00 *-*-*", "calendar '9:00 *-*-*': the date '*-*-*' goes before the time"},
        {"", "calendar '': empty; write e.g. 'daily' or 'Mon..Fri 09:00'"},
        {" 9:00", "calendar ' 9:00': starts or ends with a space"},
        {"9:00 ", "calendar '9:00 ': starts or ends with a space"},
        {"UTC", "calendar 'UTC': unknown weekday 'UTC' (Mon..Sun)"},
        {"1:00 UTC UTC", "calendar '1:00 UTC UTC': unexpected 'UTC' (a time zone goes last, once)"},
        {"1:00 Europe/Berlin UTC", "calendar '1:00 Europe/Berlin UTC': unexpected 'Europe/Berlin' (a time zone goes last, once)"},
    };
    for (const auto& row : rows) {
        const std::string spec = row.spec;
        INFO(spec);
        CHECK(error_of(spec) == std::string("bad_input: ") + row.error);
    }
}

TEST_CASE("calendar refuses a spec longer than 256 bytes and quotes it on one short line") {
    std::string spec = "*-*-* 0";
    while (spec.size() + 2 + 6 <= CalendarEvent::max_spec_bytes) spec += ",0";
    spec += ":00:00";
    CHECK(spec.size() <= CalendarEvent::max_spec_bytes);
    CHECK(CalendarEvent::parse(spec).normalized() == "*-*-* 00:00:00");
    spec.insert(6, "\n00,");
    spec += std::string(CalendarEvent::max_spec_bytes, ' ');
    const auto error = error_of(spec);
    CHECK(error.find("longer than 256 bytes") != std::string::npos);
    CHECK(error.find('\n') == std::string::npos);
    CHECK(error.size() < 140);
}

TEST_CASE("calendar specs that never match return nullopt quickly") {
    const auto* berlin = date::locate_zone("Europe/Berlin");
    for (const char* spec : {"*-02-30", "*-04-31 12:00", "Mon 2027-03-27", "1970-01-01", "Sat *-02-30 23:59:59",
                             "Mon..Sat *-*-* 02:30 Europe/Berlin" /* matches */}) {
        INFO(spec);
        const auto e = CalendarEvent::parse(spec);
        const auto start = std::chrono::steady_clock::now();
        const auto next = e.next_after(at("2027-03-27 12:00:00"), berlin);
        CHECK(std::chrono::steady_clock::now() - start < std::chrono::milliseconds(200));
        CHECK(next.has_value() == (std::string(spec).find("Mon..Sat") == 0));
    }
    // systemd's horizon: nothing after 2199 (systemd-analyze --base-time='2199-12-31 23:00 UTC' hourly: never)
    CHECK(!CalendarEvent::parse("hourly").next_after(at("2199-12-31 23:00:00"), nullptr));
    CHECK(!CalendarEvent::parse("*-02-29").next_after(at("2199-06-01 00:00:00"), nullptr));
    CHECK(CalendarEvent::parse("daily").next_after(at("2199-06-01 00:00:00"), nullptr) == at("2199-06-02 00:00:00"));
}

namespace {

// One line per spec: "N<TAB>normalized" then "E<TAB>YYYY-MM-DD HH:MM:SS" per elapse, or "X" when
// systemd refuses it.
std::string systemd_analyze(const std::string& spec, long long base) {
    std::string quoted = "'";
    for (char c : spec) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    quoted += "'";
    const std::string command = "TZ=UTC /usr/bin/systemd-analyze calendar --iterations=3 --base-time=@" +
                                std::to_string(base) + " " + quoted + " 2>/dev/null";
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe) return "";
    std::string out;
    std::array<char, 512> buffer{};
    while (fgets(buffer.data(), buffer.size(), pipe)) out += buffer.data();
    const int status = pclose(pipe);
    if (status != 0) return "X";
    std::istringstream lines(out);
    std::string line, result;
    while (std::getline(lines, line)) {
        if (const auto p = line.find("Normalized form: "); p != std::string::npos)
            result += "N\t" + line.substr(p + 17) + "\n";
        for (const char* key : {"Next elapse: ", "Iter. #"}) {
            const auto k = line.find(key);
            if (k == std::string::npos || line.find("never") != std::string::npos) continue;
            const auto colon = line.find(": ", k);
            // "Sat 2027-03-27 12:15:00 UTC" -> the date and the time
            result += "E\t" + line.substr(colon + 6, 19) + "\n";
        }
    }
    return result;
}

std::string ours(const std::string& spec, sys_seconds base) {
    std::string result;
    try {
        const auto e = CalendarEvent::parse(spec);
        result += "N\t" + e.normalized() + "\n";
        for (const auto& t : elapses(e, base, date::locate_zone("UTC"), 3)) result += "E\t" + t + "\n";
    } catch (const growth::Error&) {
        return "X";
    }
    return result;
}

}  // namespace

TEST_CASE("calendar agrees with systemd-analyze on this machine") {
    if (access("/usr/bin/systemd-analyze", X_OK) != 0) {
        MESSAGE("skipped: no /usr/bin/systemd-analyze");
        return;
    }
    const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    const std::vector<std::string> specs = {
        "Mon..Fri 09:00", "Sat,Sun", "Mon,Wed..Fri 9:00", "*-*-* 08,12,18:00", "*-*-01 12:00", "*-02-29",
        "*:0/15", "08..18/2:00", "Mon *-*-1..7 09:00", "*-*~01", "*-*~03", "Mon *-05~07/1", "*-*~1..7",
        "minutely", "hourly", "daily", "monthly", "weekly", "yearly", "annually", "quarterly", "semiannually",
        "*:*:*", "*:*:0/20", "2030..2035/2-1-1", "27-1-1", "*-02-30", "Fri *-*-13", "*-*-* 23:59:59",
        "*-*-* 02:30 Europe/Berlin", "Mon..Fri 09:00 America/New_York", "*-*-* 9:00 utc", "*-*~28/27",
        "*-*~3..5/2", "Mon,Tue,Wed", "Sun,Mon 7,19:45", "*-1/3-1 6:00", "*-*-1..31/31", "Sat..Mon",
        "*-*-* 22/2:00", "24:00", "*-*-* 9:00 Europe/Berln", "*:*:5..5", "0:0/0", "1970/229-1-1"};
    std::string compared;
    for (const auto& spec : specs) {
        const auto theirs = systemd_analyze(spec, now.time_since_epoch().count());
        if (theirs.empty()) continue;
        INFO("spec '" << spec << "'");
        CHECK(ours(spec, now) == theirs);
        compared += (compared.empty() ? "" : ", ") + spec;
    }
    MESSAGE("compared with systemd-analyze: " << compared);
}
