#pragma once
// The `--at WHEN` expressions of `growthctl schedule` and `growthctl when` (DESIGN.md §8): parsed
// against an injected clock and zone, so the same text always means the same instant in tests.
//
// Accepted (case-insensitive, at most 200 bytes):
//   2026-12-02T09:00:00Z  2026-12-02 10:00+01:00  (RFC 3339 / ISO 8601; seconds optional;
//                         fractional seconds are truncated, 'Z' or "UTC" or ±HH[:MM] offsets)
//   2026-12-02 10:00[:SS]  2026-12-02 8pm  2026-12-02 (00:00)   in the context zone
//   10:30  8am  8:30pm  12am (00:00)  12pm (12:00)   the next such time: today if still ahead
//   today 18:00  tomorrow 9am  (a time is required; "today" is kept even when already past)
//   mon 10:30  monday 10:30   the next such weekday and time strictly after now
//   next fri 8am   GNU date's rule: the first such weekday after today (1..7 days on), at the time
//   +90m  +1h30m  in 2 hours  in 90 minutes  in 3 days   instant arithmetic; a day is 86400 s
//   now   ctx.now (whether "now" may be scheduled is the caller's decision)
// Wall-clock forms refuse a local time in a DST gap (naming the valid times on both sides) and an
// ambiguous one unless WhenContext::fold chooses (a fold is ignored where the time is unique). They
// also refuse a local time after 2037 in a zone that still shifts: the zone files end their
// explicit transitions there and the library does not apply the rule that continues them.

#include <date/tz.h>

#include <chrono>
#include <string>
#include <string_view>

namespace growth::timeexpr {

using Seconds = std::chrono::sys_seconds;

/// --fold earlier|later: which of the two instants an ambiguous local time (fall-back) means.
enum class Fold { none, earlier, later };

struct WhenContext {
    Seconds now;       ///< injected clock (tests never use the real one)
    std::string zone;  ///< IANA zone for local forms: --tz, else config, else system; "" = system zone
    Fold fold = Fold::none;
};

struct When {
    Seconds instant;   ///< the UTC instant
    std::string zone;  ///< the IANA zone the time was written in (the resolved one: "UTC" for 'Z')
};

/// Parses a WHEN expression (forms above). Offsets: 'Z'/"UTC" give zone "UTC"; a numeric offset
/// gives ctx's zone when that zone has this offset at that instant, else "Etc/GMT∓N" for a whole
/// hour, else "UTC". Results outside the years 1970..9999 are refused. Throws
/// growth::Error("bad_input", ...) for any input it does not accept, or an unknown ctx.zone, and
/// std::bad_alloc. Any thread (the tz database loads once, thread-safely), but ctx.zone "" reads
/// $TZ, which must not be changed concurrently.
When parse_when(std::string_view expr, const WhenContext& ctx);

/// The zone named `name` (exact IANA name, else a unique case-insensitive match); "" = the system
/// zone. Throws growth::Error("bad_input", "unknown time zone 'X'; did you mean Y?").
const date::time_zone* find_zone(std::string_view name);

/// The system zone: $TZ when it names a zone, else /etc/localtime, else "UTC". Throws std::bad_alloc.
std::string system_zone_name();

/// "2026-12-02T09:00:00Z". Throws std::bad_alloc only.
std::string format_utc(Seconds t);

/// "2026-12-02 10:00:00 CET (+01:00)"; a null zone means UTC. Throws std::bad_alloc only.
std::string format_local(Seconds t, const date::time_zone* zone);

/// "90s" "15m" "2h" "1d" "1w" "1h30m", also "2 hours", "1h 30m"; units s/sec/second, m/min/minute,
/// h/hr/hour, d/day, w/week (plurals too); a day is 86400 s. Zero is allowed; at most 100 years.
/// Throws growth::Error("bad_input", ...) naming the text.
std::chrono::seconds parse_duration(std::string_view s);

}  // namespace growth::timeexpr
