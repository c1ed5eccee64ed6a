// WHEN across DST transitions. Every instant below was computed outside this code, with
// `TZ=Zone date -d 'YYYY-MM-DD HH:MM' +%s` for the unique times and `date -d '... +HHMM' +%s`
// with the offsets `zdump -v -c 2010,2030 Zone` lists for the two readings of a fold.
#include <doctest/doctest.h>

#include <string>

#include "core/error.hpp"
#include "core/time/when.hpp"

using namespace growth::timeexpr;

namespace {

struct Transition {
    const char* zone;
    const char* before;  // the last minute before the change: unique
    long long before_s;
    const char* middle;  // in the gap or in the fold
    const char* after;   // the first unambiguous time after
    long long after_s;
    long long earlier_s;  // a fold's two readings; 0 for a gap
    long long later_s;
    const char* named;  // a gap: "clocks go from ...; try ..."; a fold: "A and B"
};

// 25 transitions: both directions where the zone has them, the skipped day in Apia, Dublin's
// negative DST (tzdata marks winter GMT as the DST period), Lord Howe's 30-minute shift, zones
// whose changes fall at midnight (Sao Paulo, Tehran, Santiago) and the southern hemisphere.
constexpr Transition transitions[] = {
    {"Europe/Berlin", "2026-03-29 01:59", 1774745940, "2026-03-29 02:30", "2026-03-29 03:00", 1774746000, 0, 0,
     "clocks go from 02:00 to 03:00); try 01:59 or 03:00"},
    {"Europe/Berlin", "2026-10-25 01:59", 1792886340, "2026-10-25 02:30", "2026-10-25 03:00", 1792893600, 1792888200,
     1792891800, "CEST and CET"},
    {"Europe/Berlin", "2027-03-28 01:59", 1806195540, "2027-03-28 02:30", "2027-03-28 03:00", 1806195600, 0, 0,
     "clocks go from 02:00 to 03:00); try 01:59 or 03:00"},
    {"Europe/Berlin", "2027-10-31 01:59", 1824940740, "2027-10-31 02:30", "2027-10-31 03:00", 1824948000, 1824942600,
     1824946200, "CEST and CET"},
    {"America/New_York", "2026-03-08 01:59", 1772953140, "2026-03-08 02:30", "2026-03-08 03:00", 1772953200, 0, 0,
     "clocks go from 02:00 to 03:00); try 01:59 or 03:00"},
    {"America/New_York", "2026-11-01 00:59", 1793509140, "2026-11-01 01:30", "2026-11-01 02:00", 1793516400,
     1793511000, 1793514600, "EDT and EST"},
    {"America/New_York", "2027-03-14 01:59", 1805007540, "2027-03-14 02:30", "2027-03-14 03:00", 1805007600, 0, 0,
     "clocks go from 02:00 to 03:00); try 01:59 or 03:00"},
    {"America/New_York", "2027-11-07 00:59", 1825563540, "2027-11-07 01:30", "2027-11-07 02:00", 1825570800,
     1825565400, 1825569000, "EDT and EST"},
    {"Europe/Dublin", "2026-03-29 00:59", 1774745940, "2026-03-29 01:30", "2026-03-29 02:00", 1774746000, 0, 0,
     "clocks go from 01:00 to 02:00); try 00:59 or 02:00"},
    {"Europe/Dublin", "2026-10-25 00:59", 1792886340, "2026-10-25 01:30", "2026-10-25 02:00", 1792893600, 1792888200,
     1792891800, "IST and GMT"},
    {"Australia/Lord_Howe", "2026-04-05 01:29", 1775312940, "2026-04-05 01:45", "2026-04-05 02:00", 1775316600,
     1775313900, 1775315700, "+11:00 and +10:30"},
    {"Australia/Lord_Howe", "2026-10-04 01:59", 1791041340, "2026-10-04 02:15", "2026-10-04 02:30", 1791041400, 0, 0,
     "clocks go from 02:00 to 02:30); try 01:59 or 02:30"},
    {"America/Sao_Paulo", "2018-02-17 22:59", 1518915540, "2018-02-17 23:30", "2018-02-18 00:00", 1518922800,
     1518917400, 1518921000, "-02:00 and -03:00"},
    {"America/Sao_Paulo", "2018-11-03 23:59", 1541300340, "2018-11-04 00:30", "2018-11-04 01:00", 1541300400, 0, 0,
     "clocks go from 00:00 to 01:00); try 2018-11-03 23:59 or 01:00"},
    {"Pacific/Apia", "2011-04-02 02:59", 1301749140, "2011-04-02 03:30", "2011-04-02 04:00", 1301756400, 1301751000,
     1301754600, "-10:00 and -11:00"},
    {"Pacific/Apia", "2011-09-24 02:59", 1316872740, "2011-09-24 03:30", "2011-09-24 04:00", 1316872800, 0, 0,
     "clocks go from 03:00 to 04:00); try 02:59 or 04:00"},
    {"Pacific/Apia", "2011-12-29 23:59", 1325239140, "2011-12-30 12:00", "2011-12-31 00:00", 1325239200, 0, 0,
     "clocks go from 2011-12-30 00:00 to 2011-12-31 00:00); try 2011-12-29 23:59 or 2011-12-31 00:00"},
    {"Asia/Tehran", "2022-03-21 23:59", 1647894540, "2022-03-22 00:30", "2022-03-22 01:00", 1647894600, 0, 0,
     "clocks go from 00:00 to 01:00); try 2022-03-21 23:59 or 01:00"},
    {"Asia/Tehran", "2022-09-21 22:59", 1663784940, "2022-09-21 23:30", "2022-09-22 00:00", 1663792200, 1663786800,
     1663790400, "+04:30 and +03:30"},
    {"America/Santiago", "2026-04-04 22:59", 1775354340, "2026-04-04 23:30", "2026-04-05 00:00", 1775361600,
     1775356200, 1775359800, "-03:00 and -04:00"},
    {"America/Santiago", "2026-09-05 23:59", 1788667140, "2026-09-06 00:30", "2026-09-06 01:00", 1788667200, 0, 0,
     "clocks go from 00:00 to 01:00); try 2026-09-05 23:59 or 01:00"},
    {"Europe/London", "2026-03-29 00:59", 1774745940, "2026-03-29 01:30", "2026-03-29 02:00", 1774746000, 0, 0,
     "clocks go from 01:00 to 02:00); try 00:59 or 02:00"},
    {"Europe/London", "2026-10-25 00:59", 1792886340, "2026-10-25 01:30", "2026-10-25 02:00", 1792893600, 1792888200,
     1792891800, "BST and GMT"},
    {"Australia/Sydney", "2026-04-05 01:59", 1775314740, "2026-04-05 02:30", "2026-04-05 03:00", 1775322000,
     1775316600, 1775320200, "AEDT and AEST"},
    {"Australia/Sydney", "2026-10-04 01:59", 1791043140, "2026-10-04 02:30", "2026-10-04 03:00", 1791043200, 0, 0,
     "clocks go from 02:00 to 03:00); try 01:59 or 03:00"},
};

Seconds at(long long s) { return Seconds{std::chrono::seconds{s}}; }

// The context clock sits years before every row, so no form depends on it here.
WhenContext in_zone(const char* zone, Fold fold = Fold::none) { return {at(946684800), zone, fold}; }

std::string refusal(const std::string& expr, const WhenContext& ctx) {
    try {
        parse_when(expr, ctx);
    } catch (const growth::Error& e) {
        CHECK(e.kind() == "bad_input");
        return e.what();
    }
    return "(accepted)";
}

}  // namespace

TEST_CASE("DST golden table: before and after are unique in every zone") {
    for (const auto& t : transitions) {
        const std::string zone = t.zone, middle = t.middle;
        CAPTURE(zone);
        CAPTURE(middle);
        CHECK(parse_when(t.before, in_zone(t.zone)).instant == at(t.before_s));
        CHECK(parse_when(t.after, in_zone(t.zone)).instant == at(t.after_s));
        CHECK(parse_when(t.after, in_zone(t.zone)).zone == t.zone);
        // A fold choice changes nothing where the time is unique.
        CHECK(parse_when(t.before, in_zone(t.zone, Fold::later)).instant == at(t.before_s));
    }
}

TEST_CASE("DST golden table: a time in a gap is refused naming both sides") {
    int gaps = 0;
    for (const auto& t : transitions) {
        if (t.earlier_s != 0) continue;
        const std::string zone = t.zone;
        CAPTURE(zone);
        const std::string expected = std::string(t.middle) + " does not exist in " + t.zone + " (" + t.named;
        CHECK(refusal(t.middle, in_zone(t.zone)) == expected);
        // No fold makes a missing time exist.
        CHECK(refusal(t.middle, in_zone(t.zone, Fold::earlier)) == expected);
        ++gaps;
    }
    CHECK(gaps == 13);
}

TEST_CASE("DST golden table: a time in a fold needs a choice and each choice is one instant") {
    int folds = 0;
    for (const auto& t : transitions) {
        if (t.earlier_s == 0) continue;
        const std::string zone = t.zone;
        CAPTURE(zone);
        CHECK(refusal(t.middle, in_zone(t.zone)) == std::string(t.middle) + " happens twice in " + t.zone + " (" +
                                                       t.named + "); choose with --fold earlier or --fold later");
        CHECK(parse_when(t.middle, in_zone(t.zone, Fold::earlier)).instant == at(t.earlier_s));
        CHECK(parse_when(t.middle, in_zone(t.zone, Fold::later)).instant == at(t.later_s));
        ++folds;
    }
    CHECK(folds == 12);
}

TEST_CASE("Asia/Kolkata has no DST: the hours that shift elsewhere are unique") {
    CHECK(parse_when("2026-03-29 02:30", in_zone("Asia/Kolkata")).instant == at(1774731600));
    CHECK(parse_when("2026-10-25 02:30", in_zone("Asia/Kolkata")).instant == at(1792875600));
}

TEST_CASE("a date alone at a midnight that does not exist is refused like any gap") {
    CHECK(refusal("2018-11-04", in_zone("America/Sao_Paulo")) ==
          "2018-11-04 00:00 does not exist in America/Sao_Paulo (clocks go from 00:00 to 01:00); try 2018-11-03 "
          "23:59 or 01:00");
}

TEST_CASE("tomorrow is a wall-clock date while +1d is 86400 seconds") {
    // Saturday 2026-10-24 12:00 CEST; the clocks go back that night.
    const WhenContext ctx{at(1792836000), "Europe/Berlin", Fold::none};
    CHECK(parse_when("tomorrow 09:00", ctx).instant == at(1792915200));
    CHECK(parse_when("+1d", ctx).instant == at(1792836000 + 86400));
    CHECK(refusal("sun 02:30", ctx) ==
          "2026-10-25 02:30 happens twice in Europe/Berlin (CEST and CET); choose with --fold earlier or --fold later");
    CHECK(parse_when("tomorrow 02:30", {ctx.now, ctx.zone, Fold::earlier}).instant == at(1792888200));
    CHECK(parse_when("tomorrow 02:30", {ctx.now, ctx.zone, Fold::later}).instant == at(1792891800));
}

TEST_CASE("a time of day alone that lands in tomorrow's gap names tomorrow's date") {
    // 2027-03-27 13:00 CET: 02:30 has passed today, and tomorrow it does not exist.
    const WhenContext ctx{at(1806148800), "Europe/Berlin", Fold::none};
    CHECK(refusal("02:30", ctx) ==
          "2027-03-28 02:30 does not exist in Europe/Berlin (clocks go from 02:00 to 03:00); try 01:59 or 03:00");
}

TEST_CASE("a local time past the system zone data in a zone that still shifts is refused") {
    // The library ignores the rule that continues the zone files past 2037, so it would give
    // 2040-07-01 12:00 in Berlin standard time (date says CEST): refuse rather than be an hour off.
    CHECK(refusal("2040-07-01 12:00", in_zone("Europe/Berlin")) ==
          "2040-07-01 12:00 is past the end of this system's time zone data for Europe/Berlin (2037); write it "
          "with its UTC offset, e.g. 2040-07-01T12:00+HH:MM");
    CHECK(parse_when("2040-07-01T12:00+02:00", in_zone("Europe/Berlin")).instant == at(2224749600));
    // A zone without DST has nothing to lose.
    CHECK(parse_when("2040-07-01 12:00", in_zone("Asia/Kolkata")).instant == at(2224737000));
}
