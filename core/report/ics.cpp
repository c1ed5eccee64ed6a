#include "core/report/ics.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/text/grapheme.hpp"
#include "growth/version.hpp"

namespace growth::report {

namespace {

constexpr std::size_t max_octets = 75;

bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

void add_line(std::string& out, std::string_view line) { out += ics_fold(line); }

/// "TENTATIVE" while a post may still move; "CONFIRMED" once it has started going out.
const char* status_of(const std::string& state) { return state == "scheduled" ? "TENTATIVE" : "CONFIRMED"; }

std::string description_of(const CalendarPost& p) {
    std::string d = p.text;
    d += "\n\n";
    d += p.targets.empty() ? "No targets." : "Targets:";
    for (const auto& t : p.targets) d += fmt::format("\n{} ({}): {}", t.account, t.platform, t.state);
    d += fmt::format("\nPost {}: {}", p.id, p.state);
    return d;
}

std::string categories_of(const CalendarPost& p) {
    std::vector<std::string> values{p.state};
    for (const auto& t : p.targets) {
        if (std::find(values.begin(), values.end(), t.platform) == values.end()) values.push_back(t.platform);
    }
    std::string out;
    for (const auto& v : values) {
        if (!out.empty()) out += ",";  // the list separator, not escaped; each value is TEXT
        out += ics_escape_text(v);
    }
    return out;
}

}  // namespace

std::string ics_escape_text(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        switch (c) {
            case '\\': out += "\\\\"; break;
            case ';': out += "\\;"; break;
            case ',': out += "\\,"; break;
            case '\n': out += "\\n"; break;
            case '\r':
                out += "\\n";
                if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
                break;
            default:
                if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f) break;
                out += c;
        }
    }
    return out;
}

std::string ics_fold(std::string_view line) {
    std::string out;
    out.reserve(line.size() + line.size() / 70 * 3 + 2);
    std::size_t start = 0;
    bool first = true;
    while (line.size() - start > (first ? max_octets : max_octets - 1)) {
        std::size_t end = start + (first ? max_octets : max_octets - 1);
        while (end > start + 1 && is_continuation(line[end])) --end;  // never split a code point
        if (!first) out += ' ';
        out.append(line.substr(start, end - start));
        out += "\r\n";
        start = end;
        first = false;
    }
    if (!first) out += ' ';
    out.append(line.substr(start));
    out += "\r\n";
    return out;
}

std::string ics_utc(timeexpr::Seconds t) { return date::format("%Y%m%dT%H%M%SZ", t); }

std::string ics_summary(std::string_view text, std::size_t max_graphemes) {
    std::string flat;
    for (const char c : text) {
        const bool space = c == '\n' || c == '\t' || c == '\r' || c == ' ';
        if (space && (flat.empty() || flat.back() == ' ')) continue;
        flat += space ? ' ' : c;
    }
    while (!flat.empty() && flat.back() == ' ') flat.pop_back();
    const auto bounds = text::grapheme_boundaries(flat);  // 0 .. size, inclusive
    if (bounds.size() - 1 <= max_graphemes) return flat;
    std::size_t cut = bounds[max_graphemes];
    const std::size_t space = flat.rfind(' ', cut);
    if (space != std::string::npos && space > bounds[max_graphemes / 2]) cut = space;  // end at a word
    return flat.substr(0, cut) + "...";
}

std::string ics_calendar(const std::vector<CalendarPost>& posts, timeexpr::Seconds stamp) {
    std::string out;
    add_line(out, "BEGIN:VCALENDAR");
    add_line(out, "VERSION:2.0");
    add_line(out, fmt::format("PRODID:-//growth//growthctl {}//EN", growth::version));
    add_line(out, "CALSCALE:GREGORIAN");
    add_line(out, "X-WR-CALNAME:growth posts");
    const std::string dtstamp = ics_utc(stamp);
    for (const auto& p : posts) {
        add_line(out, "BEGIN:VEVENT");
        add_line(out, "UID:" + p.id + "@growth");
        add_line(out, "DTSTAMP:" + dtstamp);
        add_line(out, "DTSTART:" + ics_utc(p.due));
        add_line(out, "SUMMARY:" + ics_escape_text(ics_summary(p.text)));
        add_line(out, "DESCRIPTION:" + ics_escape_text(description_of(p)));
        add_line(out, std::string("STATUS:") + status_of(p.state));
        add_line(out, "CATEGORIES:" + categories_of(p));
        add_line(out, "TRANSP:TRANSPARENT");
        add_line(out, "END:VEVENT");
    }
    add_line(out, "END:VCALENDAR");
    return out;
}

}  // namespace growth::report
