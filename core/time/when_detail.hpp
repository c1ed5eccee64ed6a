#pragma once
// Pieces of the WHEN parser shared by its files; not part of the interface.

#include <date/tz.h>

#include <chrono>
#include <string>
#include <string_view>

#include "core/time/when.hpp"

namespace growth::timeexpr::detail {

/// `s` in single quotes, with bytes that would break a one-line message shown as \xNN and cut
/// at 60 bytes, so that an error can always quote what the user typed. Throws std::bad_alloc.
std::string quoted(std::string_view s);

/// "2027-03-28 02:30", with ":SS" only when the seconds are not zero. Throws std::bad_alloc.
std::string format_wall(date::local_seconds t);

/// "+01:00", or "+05:45:12" for an offset with seconds. Throws std::bad_alloc.
std::string format_offset(std::chrono::seconds offset);

/// The instant a wall-clock time in `zone` means. Throws growth::Error("bad_input") for a time in
/// a DST gap (naming the valid times either side), for an ambiguous one when `fold` is none, and
/// past the end of the system's zone data (where the library stops knowing the DST rules).
Seconds resolve_local(date::local_seconds t, const date::time_zone& zone, Fold fold);

/// parse_duration's grammar; refusals read "cannot read WHAT 'SHOWN': why". Throws
/// growth::Error("bad_input") and std::bad_alloc.
std::chrono::seconds parse_span(std::string_view text, std::string_view what, std::string_view shown);

/// Throws growth::Error("bad_input") unless `t` lies in the years 1970..9999 (UTC).
void require_in_range(Seconds t, std::string_view expr);

}  // namespace growth::timeexpr::detail
