// libFuzzer target: calendar specs from arbitrary bytes. Aborts when a promise breaks: parse
// throws nothing but growth::Error("bad_input"); a parsed spec normalizes to a form that parses
// back to itself, and next_after returns (bounded) with an elapse strictly after the base.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/time/calendar.hpp"

namespace {

[[noreturn]] void fail(const std::string& what) {
    std::fprintf(stderr, "invariant violated: %s\n", what.c_str());
    std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using growth::timeexpr::CalendarEvent;
    const std::string_view spec(reinterpret_cast<const char*>(data), size);
    std::optional<CalendarEvent> event;
    try {
        event = CalendarEvent::parse(spec);
    } catch (const growth::Error& e) {
        if (e.kind() != "bad_input") fail("wrong error kind " + e.kind());
        for (const char c : std::string_view(e.what()))
            if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) fail(std::string("error not one ASCII line: ") + e.what());
        return 0;
    }
    const std::string normalized = event->normalized();
    try {
        if (CalendarEvent::parse(normalized).normalized() != normalized) fail("normalized form moves: " + normalized);
    } catch (const growth::Error& e) {
        fail("normalized form refused: " + normalized + ": " + e.what());
    }
    // 2027-10-31 00:30 UTC: inside Berlin's fold, so folds and gaps are exercised.
    const std::chrono::sys_seconds base{std::chrono::seconds{1824942600}};
    for (const char* zone : {"UTC", "Europe/Berlin"}) {
        auto after = base;
        for (int i = 0; i < 3; ++i) {
            const auto next = event->next_after(after, date::locate_zone(zone));
            if (!next) break;
            if (*next <= after) fail("elapse not after its base: " + normalized);
            after = *next;
        }
    }
    return 0;
}
