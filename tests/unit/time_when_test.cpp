// WHEN forms, refusals, bounds, zone names and durations. Expected instants come from GNU date
// (`TZ=Europe/Berlin date -d '2026-12-04 08:00' +%s` and the like), never from this code.
#include <doctest/doctest.h>

#include <cstdlib>
#include <optional>
#include <string>

#include "core/error.hpp"
#include "core/time/when.hpp"

using namespace growth::timeexpr;

namespace {

Seconds at(long long s) { return Seconds{std::chrono::seconds{s}}; }

// Wednesday 2026-12-02 08:00:00 UTC = 09:00 CET in Berlin.
constexpr long long now_s = 1796198400;
const WhenContext berlin{at(now_s), "Europe/Berlin", Fold::none};

std::string refusal(const std::string& expr, const WhenContext& ctx = berlin) {
    try {
        parse_when(expr, ctx);
    } catch (const growth::Error& e) {
        CHECK(e.kind() == "bad_input");
        return e.what();
    }
    return "(accepted)";
}

struct Form {
    const char* expr;
    long long instant;
    const char* zone;
};

}  // namespace

TEST_CASE("every accepted form gives its exact instant and zone") {
    constexpr Form forms[] = {
        // now and relative forms: instant arithmetic from the injected clock
        {"now", now_s, "Europe/Berlin"},
        {"+90s", now_s + 90, "Europe/Berlin"},
        {"+90m", now_s + 5400, "Europe/Berlin"},
        {"+2h", now_s + 7200, "Europe/Berlin"},
        {"+1d", now_s + 86400, "Europe/Berlin"},
        {"+1h30m", now_s + 5400, "Europe/Berlin"},
        {"in 2 hours", now_s + 7200, "Europe/Berlin"},
        {"in 90 minutes", now_s + 5400, "Europe/Berlin"},
        {"in 3 days", now_s + 3 * 86400, "Europe/Berlin"},
        {"in 1 hour and 30 minutes", now_s + 5400, "Europe/Berlin"},
        {"In 2 Hours", now_s + 7200, "Europe/Berlin"},
        // RFC 3339 / ISO 8601 with an offset
        {"2026-12-02T09:00:00Z", 1796202000, "UTC"},
        {"2026-12-02t09:00z", 1796202000, "UTC"},
        {"2026-12-02 09:00 UTC", 1796202000, "UTC"},
        {"2026-12-02T10:00+01:00", 1796202000, "Europe/Berlin"},
        {"2026-12-02 10:00+0100", 1796202000, "Europe/Berlin"},
        {"2026-12-02 10:00 +01", 1796202000, "Europe/Berlin"},
        {"2026-12-02T11:00+03:00", 1796198400, "Etc/GMT-3"},
        {"2026-12-02T14:30+05:30", 1796202000, "UTC"},
        {"2026-12-02T09:00:00.999Z", 1796202000, "UTC"},  // fractions truncate
        // local date-times in the context zone
        {"2026-12-02 10:00", 1796202000, "Europe/Berlin"},
        {"2026-12-02T10:00", 1796202000, "Europe/Berlin"},
        {"2026-12-02 10:00:30", 1796202030, "Europe/Berlin"},
        {"2026-12-02", 1796166000, "Europe/Berlin"},
        {"2026-12-02 8pm", 1796238000, "Europe/Berlin"},
        // a time of day alone: the next such time, like at(1)
        {"10:30", 1796203800, "Europe/Berlin"},
        {"09:00", 1796284800, "Europe/Berlin"},  // exactly now: tomorrow
        {"08:59", 1796284740, "Europe/Berlin"},
        {"8am", 1796281200, "Europe/Berlin"},
        {"8:30pm", 1796239800, "Europe/Berlin"},
        {"8:30 PM", 1796239800, "Europe/Berlin"},
        {"12am", 1796252400, "Europe/Berlin"},
        {"12pm", 1796209200, "Europe/Berlin"},
        // today and tomorrow
        {"today 18:00", 1796230800, "Europe/Berlin"},
        {"today 08:00", 1796194800, "Europe/Berlin"},  // kept even though past: the caller refuses
        {"tomorrow 09:00", 1796284800, "Europe/Berlin"},
        {"9am tomorrow", 1796284800, "Europe/Berlin"},
        {"tomorrow at 9am", 1796284800, "Europe/Berlin"},
        {"  TOMORROW\t 9AM ", 1796284800, "Europe/Berlin"},
        // weekdays: strictly after now, today if still ahead
        {"mon 10:30", 1796635800, "Europe/Berlin"},
        {"monday 10:30", 1796635800, "Europe/Berlin"},
        {"wed 10:30", 1796203800, "Europe/Berlin"},
        {"wed 09:00", 1796803200, "Europe/Berlin"},
        {"wednesday 8am", 1796799600, "Europe/Berlin"},
        {"fri 8am", 1796367600, "Europe/Berlin"},
        // next: GNU date's rule, the first such day after today
        {"next friday 8am", 1796367600, "Europe/Berlin"},
        {"next thu 8am", 1796281200, "Europe/Berlin"},
        {"next wed 10:30", 1796808600, "Europe/Berlin"},
    };
    for (const auto& f : forms) {
        const std::string expr = f.expr;
        CAPTURE(expr);
        const When w = parse_when(f.expr, berlin);
        CHECK(w.instant == at(f.instant));
        CHECK(w.zone == f.zone);
    }
}

TEST_CASE("a numeric offset keeps the user's zone only when that zone has the offset then") {
    const WhenContext kolkata{at(now_s), "Asia/Kolkata", Fold::none};
    CHECK(parse_when("2026-12-02T14:30+05:30", kolkata).zone == "Asia/Kolkata");
    CHECK(parse_when("2026-12-02T09:00+00:00", kolkata).zone == "UTC");
    const WhenContext london{at(now_s), "Europe/London", Fold::none};
    CHECK(parse_when("2026-12-02T09:00+00:00", london).zone == "Europe/London");
    CHECK(parse_when("2026-12-02T09:00Z", london).zone == "UTC");
}

TEST_CASE("bad input is refused naming what is wrong") {
    struct Bad {
        const char* expr;
        const char* message;
    };
    constexpr Bad bad[] = {
        {"", "empty time; use e.g. 2026-12-02T09:00Z"},
        {"   ", "empty time; use e.g."},
        {"garbage",
         "cannot read time 'garbage'; use e.g. 2026-12-02T09:00Z, 2026-12-02 10:00, 10:30, 8pm, tomorrow 09:00, "
         "mon 10:30, next fri 8am, +90m or in 2 hours"},
        {"tomorrow", "'tomorrow' needs a time of day, e.g. 'tomorrow 09:00'"},
        {"next friday", "'next friday' needs a time of day, e.g. 'next friday 09:00'"},
        {"mon", "'mon' needs a time of day"},
        {"tomorow 9am", "cannot read 'tomorow' in time 'tomorow 9am'; did you mean tomorrow?"},
        {"fridya 10:00", "cannot read 'fridya' in time 'fridya 10:00'; did you mean friday?"},
        {"next tomorrow 9am", "'next' takes a weekday in time 'next tomorrow 9am', e.g. next fri 8am"},
        {"25:00", "no such time '25:00' (hours 00..23, minutes and seconds 00..59)"},
        {"10:60", "no such time '10:60'"},
        {"13pm", "no such time '13pm' (12-hour times run from 12am to 11:59pm)"},
        {"0am", "no such time '0am'"},
        {"9", "a bare number is not a time in '9'; write 9:00 or 9am"},
        {"830am", "cannot read time '830am'"},
        {"2026-02-30", "no such date '2026-02-30'"},
        {"2026-13-01 10:00", "no such date '2026-13-01'"},
        {"2026-12-02T10:00:60Z", "no such time '10:00:60'"},
        {"2026-12-02T10:00+24:00", "no such offset '+24:00'"},
        {"2026-12-02 10:00 tomorrow", "cannot read time '2026-12-02 10:00 tomorrow'"},
        {"tomorrow today 9am", "cannot read time"},
        {"9am 10am", "cannot read time"},
        {"at", "cannot read time 'at'"},
        {"now 9am", "cannot read time 'now 9am'"},
        {"10:30 amsterdam", "cannot read time"},
        {"-5m", "time '-5m' is in the past; relative times count forward, e.g. +5m"},
        {"+90", "cannot read time '+90': a unit is missing after 90"},
        {"+5x", "cannot read time '+5x': unknown unit 'x'; use s, m, h, d or w"},
        {"in 5 minuets", "unknown unit 'minuets'; did you mean minutes?"},
        {"+1.5h", "fractions are not accepted"},
        {"+", "empty time"},
        {"tomorrow\x01 9am", "cannot read time 'tomorrow\\x01 9am'"},
        {"caf\xc3\xa9", "cannot read time 'caf\\xC3\\xA9'"},
    };
    for (const auto& b : bad) {
        const std::string expr = b.expr;
        CAPTURE(expr);
        const std::string message = refusal(b.expr);
        CHECK_MESSAGE(message.find(b.message) != std::string::npos, message);
    }
}

TEST_CASE("input length and every number are bounded") {
    CHECK(refusal(std::string(201, '1')) == "time is too long (201 bytes; at most 200)");
    CHECK(parse_when(std::string(197, ' ') + "now", berlin).instant == at(now_s));
    CHECK(refusal("+99999999999999d") == "cannot read time '+99999999999999d': the number is too large");
    CHECK(refusal("+999999999d") == "cannot read time '+999999999d': it is longer than 100 years");
    CHECK(refusal("+36526d") == "cannot read time '+36526d': it is longer than 100 years");
    CHECK(parse_when("+36525d", berlin).instant == at(now_s + 36525LL * 86400));
    CHECK(refusal("+36525d 1s").find("longer than 100 years") != std::string::npos);
    CHECK(refusal("1969-12-31 23:00") == "time '1969-12-31 23:00' is outside the years 1970 to 9999");
    CHECK(refusal("1970-01-01T00:30+01:00") == "time '1970-01-01T00:30+01:00' is outside the years 1970 to 9999");
    CHECK(refusal("9999-12-31T23:59:59-01:00").find("outside the years 1970 to 9999") != std::string::npos);
    const WhenContext last_day{at(253402214400), "UTC", Fold::none};  // 9999-12-31 00:00Z
    CHECK(parse_when("9999-12-31 23:59:59", last_day).instant == at(253402300799));
    CHECK(parse_when("1970-01-01 00:00", last_day).instant == at(0));
    CHECK(refusal("+2d", last_day).find("outside the years 1970 to 9999") != std::string::npos);
    CHECK(refusal("tomorrow 09:00", last_day).find("outside the years 1970 to 9999") != std::string::npos);
    // A long quote is cut so that the message stays one readable line.
    const std::string message = refusal(std::string(150, 'x'));
    CHECK(message.find(std::string(60, 'x') + "...'") != std::string::npos);
    CHECK(message.find(std::string(61, 'x')) == std::string::npos);
}

TEST_CASE("zone names: exact and case-insensitive names resolve and typos get a suggestion") {
    CHECK(find_zone("Europe/Berlin")->name() == "Europe/Berlin");
    CHECK(find_zone("europe/berlin")->name() == "Europe/Berlin");
    CHECK(find_zone("UTC")->name() == "UTC");
    const auto message = [](std::string_view name) -> std::string {
        try {
            find_zone(name);
        } catch (const growth::Error& e) {
            CHECK(e.kind() == "bad_input");
            return e.what();
        }
        return "(accepted)";
    };
    CHECK(message("Europe/Berln") == "unknown time zone 'Europe/Berln'; did you mean Europe/Berlin?");
    CHECK(message("Berlin") == "unknown time zone 'Berlin'; did you mean Europe/Berlin?");
    CHECK(message("new_york") == "unknown time zone 'new_york'; did you mean America/New_York?");
    CHECK(message("Nowhere") == "unknown time zone 'Nowhere' (IANA names look like Europe/Berlin or America/New_York)");
    CHECK(message(std::string(500, 'a')).find("unknown time zone '" + std::string(60, 'a') + "...'") == 0);
    CHECK(message("../../etc/passwd").find("unknown time zone") == 0);
    CHECK(refusal("10:30", {at(now_s), "Europe/Berln", Fold::none}) ==
          "unknown time zone 'Europe/Berln'; did you mean Europe/Berlin?");
}

TEST_CASE("the empty zone is the system zone and TZ chooses it") {
    const char* saved = std::getenv("TZ");
    const std::optional<std::string> old = saved ? std::optional<std::string>(saved) : std::nullopt;
    setenv("TZ", "Asia/Kolkata", 1);
    CHECK(system_zone_name() == "Asia/Kolkata");
    CHECK(find_zone("")->name() == "Asia/Kolkata");
    const When w = parse_when("2026-12-02 14:30", {at(now_s), "", Fold::none});
    CHECK(w.instant == at(1796202000));
    CHECK(w.zone == "Asia/Kolkata");
    setenv("TZ", ":Europe/Berlin", 1);
    CHECK(system_zone_name() == "Europe/Berlin");
    if (old)
        setenv("TZ", old->c_str(), 1);
    else
        unsetenv("TZ");
}

TEST_CASE("instants are shown in UTC and in their zone") {
    CHECK(format_utc(at(1796202000)) == "2026-12-02T09:00:00Z");
    CHECK(format_utc(at(0)) == "1970-01-01T00:00:00Z");
    CHECK(format_local(at(1796202000), find_zone("Europe/Berlin")) == "2026-12-02 10:00:00 CET (+01:00)");
    CHECK(format_local(at(1796202000), find_zone("Asia/Kolkata")) == "2026-12-02 14:30:00 IST (+05:30)");
    CHECK(format_local(at(1796202000), find_zone("America/New_York")) == "2026-12-02 04:00:00 EST (-05:00)");
    CHECK(format_local(at(1796202000), nullptr) == "2026-12-02 09:00:00 UTC (+00:00)");
    // 2026-07-01 12:00Z on Lord Howe Island: standard time, +10:30 (zdump)
    CHECK(format_local(at(1782907200), find_zone("Australia/Lord_Howe")) == "2026-07-01 22:30:00 +1030 (+10:30)");
}

TEST_CASE("parse_duration accepts the compact and the spelt-out units") {
    struct Case {
        const char* text;
        long long seconds;
    };
    constexpr Case cases[] = {
        {"90s", 90},          {"15m", 900},         {"2h", 7200},         {"1d", 86400},
        {"1h30m", 5400},      {"1h 30m", 5400},     {"2 hours", 7200},    {"1 hour", 3600},
        {"1w", 604800},       {"3 DAYS", 259200},   {"0s", 0},            {"45 sec", 45},
        {"2hrs", 7200},       {"10mins", 600},      {"1d12h", 129600},    {"1 minute and 5 seconds", 65},
        {"36525d", 3155760000},
    };
    for (const auto& c : cases) {
        const std::string text = c.text;
        CAPTURE(text);
        CHECK(parse_duration(c.text).count() == c.seconds);
    }
}

TEST_CASE("parse_duration refuses what it cannot read naming the text") {
    struct Bad {
        const char* text;
        const char* message;
    };
    constexpr Bad bad[] = {
        {"", "empty duration; write e.g. 90s, 15m, 2h, 1d or 1h30m"},
        {"h", "cannot read duration 'h': write e.g. 90s"},
        {"90", "cannot read duration '90': a unit is missing after 90"},
        {"1.5h", "cannot read duration '1.5h': fractions are not accepted; write e.g. 1h30m for 1.5h"},
        {"5x", "cannot read duration '5x': unknown unit 'x'; use s, m, h, d or w"},
        {"5 hourz", "unknown unit 'hourz'; did you mean hour?"},
        {"-5m", "cannot read duration '-5m'"},
        {"99999999999999s", "cannot read duration '99999999999999s': the number is too large"},
        {"36526d", "cannot read duration '36526d': it is longer than 100 years"},
        {"5m!", "cannot read duration '5m!'"},
    };
    for (const auto& b : bad) {
        const std::string text = b.text;
        CAPTURE(text);
        try {
            parse_duration(b.text);
            FAIL("accepted");
        } catch (const growth::Error& e) {
            CHECK(e.kind() == "bad_input");
            CHECK_MESSAGE(std::string(e.what()).find(b.message) != std::string::npos, e.what());
        }
    }
    CHECK_THROWS_AS(parse_duration(std::string(201, '1')), growth::Error);
}
