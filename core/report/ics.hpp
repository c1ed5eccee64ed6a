#pragma once
// `growthctl calendar --ics`: posts as an iCalendar object (RFC 5545) that calendar apps import
// or subscribe to. Pure: the caller gives the posts and the stamp time.
//
// One VEVENT per post: UID "<post id>@growth" (stable: the same post keeps its UID across exports,
// reschedules and state changes), DTSTART in UTC, no DTEND (an instant: RFC 5545 §3.6.1 makes it
// end when it starts), TRANSP:TRANSPARENT (a post never makes its owner busy), SUMMARY the first
// words, DESCRIPTION the whole text then each target with its state, STATUS TENTATIVE while
// scheduled (it may still move or be cancelled) and CONFIRMED once publishing has begun,
// CATEGORIES the post's state and platforms.

#include <string>
#include <string_view>
#include <vector>

#include "core/report/calendar_post.hpp"

namespace growth::report {

/// RFC 5545 TEXT escaping (§3.3.11): backslash, semicolon and comma get a backslash, a line
/// break (LF, CRLF or CR) becomes "\n"; other control characters but TAB are dropped (TEXT may
/// not hold them). Throws std::bad_alloc.
std::string ics_escape_text(std::string_view text);

/// One content line folded (§3.1): at most 75 octets per physical line (the continuation's
/// leading space included), never inside a UTF-8 sequence, each ended by CRLF. Throws
/// std::bad_alloc.
std::string ics_fold(std::string_view line);

/// "20261202T090000Z". Throws std::bad_alloc.
std::string ics_utc(timeexpr::Seconds t);

/// The summary of a post: its first words, at most `max_graphemes` graphemes on one line ("..."
/// when cut at a word). Throws std::bad_alloc.
std::string ics_summary(std::string_view text, std::size_t max_graphemes = 60);

/// The whole VCALENDAR (VERSION 2.0, PRODID, CALSCALE, X-WR-CALNAME) with one VEVENT per post,
/// in the given order, DTSTAMP `stamp` on each. Throws std::bad_alloc.
std::string ics_calendar(const std::vector<CalendarPost>& posts, timeexpr::Seconds stamp);

}  // namespace growth::report
