// The normalized form, printed as systemd 252's calendar_spec_to_string prints it, so the two
// can be compared character for character.
#include <array>
#include <string>

#include <fmt/format.h>

#include "core/time/calendar.hpp"

namespace growth::timeexpr {

namespace {

// Runs of three or more days print as a range, a run of two as a list: "Mon,Tue", "Mon..Wed".
void weekdays(std::string& out, unsigned bits) {
    static constexpr std::array<const char*, 7> days{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    bool comma = false;
    int run = -1;
    for (int x = 0; x <= 7; ++x) {
        const bool on = x < 7 && (bits & (1u << x));
        if (on && run < 0) {
            if (comma) out += ',';
            comma = true;
            out += days[x];
            run = x;
        } else if (!on && run >= 0) {
            if (x > run + 1) out += std::string(x > run + 2 ? ".." : ",") + days[x - 1];
            run = -1;
        }
    }
}

void chain(std::string& out, const CalendarChain& c, int width, bool seconds) {
    if (c.empty() || (seconds && c.size() == 1 && c[0] == CalendarComponent{0, -1, 1})) {
        out += '*';
        return;
    }
    bool first = true;
    for (const auto& k : c) {
        if (!first) out += ',';
        first = false;
        out += fmt::format("{:0{}}", k.start, width);
        if (k.stop > 0) out += fmt::format("..{:0{}}", k.stop, width);
        // A range's default step of one goes unsaid.
        if (k.repeat > 0 && !(k.stop > 0 && k.repeat == 1)) out += fmt::format("/{}", k.repeat);
    }
}

}  // namespace

std::string CalendarEvent::normalized() const {
    std::string out;
    if (weekdays_ != 0) {
        weekdays(out, weekdays_);
        out += ' ';
    }
    chain(out, year_, 4, false);
    out += '-';
    chain(out, month_, 2, false);
    out += end_of_month_ ? '~' : '-';
    chain(out, day_, 2, false);
    out += ' ';
    chain(out, hour_, 2, false);
    out += ':';
    chain(out, minute_, 2, false);
    out += ':';
    chain(out, second_, 2, true);
    if (!zone_name_.empty()) out += ' ' + zone_name_;
    return out;
}

}  // namespace growth::timeexpr
