// iCalendar export (RFC 5545): TEXT escaping (§3.3.11), line folding at 75 octets (§3.1) never
// inside a UTF-8 sequence, and the exact calendar object for a post.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/report/ics.hpp"
#include "growth/version.hpp"

using namespace growth::report;

namespace {

growth::timeexpr::Seconds at(long long s) { return growth::timeexpr::Seconds{std::chrono::seconds{s}}; }

std::vector<std::string> physical_lines(const std::string& folded) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start < folded.size()) {
        const std::size_t crlf = folded.find("\r\n", start);
        REQUIRE(crlf != std::string::npos);
        lines.push_back(folded.substr(start, crlf - start));
        start = crlf + 2;
    }
    return lines;
}

std::string unfold(const std::string& folded) {
    std::string out;
    const auto lines = physical_lines(folded);
    for (std::size_t i = 0; i < lines.size(); ++i) out += i == 0 ? lines[i] : lines[i].substr(1);
    return out;
}

bool starts_inside_a_code_point(const std::string& s) {
    return !s.empty() && (static_cast<unsigned char>(s[0]) & 0xC0) == 0x80;
}

}  // namespace

TEST_CASE("TEXT escaping: backslash, semicolon, comma and line breaks; other controls dropped") {
    CHECK(ics_escape_text("a\\b;c,d\ne") == "a\\\\b\\;c\\,d\\ne");
    CHECK(ics_escape_text("one\r\ntwo\rthree") == "one\\ntwo\\nthree");
    CHECK(ics_escape_text("tab\tstays, bell\x07 goes") == "tab\tstays\\, bell goes");
    CHECK(ics_escape_text("colon: and \"quotes\" stay") == "colon: and \"quotes\" stay");
    CHECK(ics_escape_text("Grüße 🧵") == "Grüße 🧵");
}

TEST_CASE("a line of exactly 75 octets is not folded; 76 octets are") {
    const std::string s75(75, 'a');
    CHECK(ics_fold(s75) == s75 + "\r\n");
    const std::string s76(76, 'a');
    CHECK(ics_fold(s76) == s75 + "\r\n a\r\n");
    // The continuation's leading space counts: 75 + 74 octets of content fill two lines.
    const std::string s149(149, 'b');
    CHECK(ics_fold(s149) == std::string(75, 'b') + "\r\n " + std::string(74, 'b') + "\r\n");
    CHECK(ics_fold(std::string(150, 'b')) ==
          std::string(75, 'b') + "\r\n " + std::string(74, 'b') + "\r\n b\r\n");
}

TEST_CASE("folding never splits a UTF-8 sequence, and unfolding gives the line back") {
    // 74 ASCII octets then "€" (3 octets: 74..76): the cut at 75 would fall inside it.
    const std::string euro = std::string(74, 'x') + "\xE2\x82\xAC" + "tail";
    const auto lines = physical_lines(ics_fold(euro));
    REQUIRE(lines.size() == 2);
    CHECK(lines[0] == std::string(74, 'x'));
    CHECK(lines[1] == " \xE2\x82\xAC" "tail");
    // 73 ASCII then a 4-octet emoji (73..76), and the same shifted by each offset.
    for (std::size_t pad = 60; pad < 80; ++pad) {
        std::string s = "DESCRIPTION:" + std::string(pad, 'y');
        for (int k = 0; k < 30; ++k) s += k % 3 == 0 ? "🧵" : k % 3 == 1 ? "é" : "日本";
        const std::string folded = ics_fold(s);
        CHECK(unfold(folded) == s);
        const auto parts = physical_lines(folded);
        for (std::size_t i = 0; i < parts.size(); ++i) {
            CHECK(parts[i].size() <= 75);
            if (i > 0) {
                CHECK(parts[i][0] == ' ');
                CHECK_FALSE(starts_inside_a_code_point(parts[i].substr(1)));
            }
            // Each physical line holds whole code points only: a line's last octet ends one.
            CHECK_FALSE(starts_inside_a_code_point(i + 1 < parts.size() ? parts[i + 1].substr(1) : std::string()));
        }
    }
}

TEST_CASE("DTSTART and DTSTAMP are UTC date-times") {
    CHECK(ics_utc(at(1796198400)) == "20261202T080000Z");
    CHECK(ics_utc(at(1709164800)) == "20240229T000000Z");
}

TEST_CASE("the summary is the first words on one line, cut at a word") {
    CHECK(ics_summary("Short one.") == "Short one.");
    CHECK(ics_summary("Line one\n\nline  two") == "Line one line two");
    CHECK(ics_summary("alpha beta gamma delta epsilon", 20) == "alpha beta gamma...");
    CHECK(ics_summary("🧵🧵🧵🧵🧵🧵", 4) == "🧵🧵🧵🧵...");
}

TEST_CASE("the calendar object for one post, line by line") {
    CalendarPost p{"0k3x9a1b2c4", "scheduled", at(1796198400),
                   "Launch day, finally; see https://example.com\\path\nSecond line.",
                   {{"work", "mastodon", "scheduled"}, {"bsky", "bluesky", "scheduled"}}};
    const std::string out = ics_calendar({p}, at(1796112000));
    CHECK(out ==
          "BEGIN:VCALENDAR\r\n"
          "VERSION:2.0\r\n"
          "PRODID:-//growth//growthctl " + std::string(growth::version) + "//EN\r\n"
          "CALSCALE:GREGORIAN\r\n"
          "X-WR-CALNAME:growth posts\r\n"
          "BEGIN:VEVENT\r\n"
          "UID:0k3x9a1b2c4@growth\r\n"
          "DTSTAMP:20261201T080000Z\r\n"
          "DTSTART:20261202T080000Z\r\n"
          "SUMMARY:Launch day\\, finally\\; see https://example.com\\\\path Second...\r\n"  // 62 graphemes: cut
          "DESCRIPTION:Launch day\\, finally\\; see https://example.com\\\\path\\nSecond li\r\n"
          " ne.\\n\\nTargets:\\nwork (mastodon): scheduled\\nbsky (bluesky): scheduled\\nPo\r\n"
          " st 0k3x9a1b2c4: scheduled\r\n"
          "STATUS:TENTATIVE\r\n"
          "CATEGORIES:scheduled,mastodon,bluesky\r\n"
          "TRANSP:TRANSPARENT\r\n"
          "END:VEVENT\r\n"
          "END:VCALENDAR\r\n");
}

TEST_CASE("a post keeps its UID across states and times; published posts are CONFIRMED") {
    CalendarPost p{"0k3x9a1b2c4", "scheduled", at(1796198400), "x", {{"work", "mastodon", "scheduled"}}};
    const std::string before = ics_calendar({p}, at(1796112000));
    p.state = "published";
    p.due = at(1796202000);
    p.targets[0].state = "published";
    const std::string after = ics_calendar({p}, at(1796205600));
    CHECK(before.find("UID:0k3x9a1b2c4@growth\r\n") != std::string::npos);
    CHECK(after.find("UID:0k3x9a1b2c4@growth\r\n") != std::string::npos);
    CHECK(after.find("STATUS:CONFIRMED\r\n") != std::string::npos);
    CHECK(after.find("DTSTART:20261202T090000Z\r\n") != std::string::npos);
}

TEST_CASE("an empty export is still a valid calendar") {
    const std::string out = ics_calendar({}, at(0));
    CHECK(out.rfind("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", 0) == 0);
    CHECK(out.find("VEVENT") == std::string::npos);
    CHECK(out.size() >= 15);
    CHECK(out.substr(out.size() - 15) == "END:VCALENDAR\r\n");
}
