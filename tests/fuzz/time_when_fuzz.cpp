// libFuzzer target: WHEN expressions on arbitrary bytes. The first byte picks the zone and the
// fold, the rest is the expression. parse_when may only return or throw growth::Error
// ("bad_input"); what it returns lies in 1970..9999 and formats without throwing.
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/time/when.hpp"

namespace {

[[noreturn]] void fail(const std::string& what) {
    std::fprintf(stderr, "invariant violated: %s\n", what.c_str());
    std::abort();
}

constexpr std::array<const char*, 8> zones{"Europe/Berlin", "America/New_York", "Australia/Lord_Howe",
                                           "Pacific/Apia",  "Asia/Kolkata",     "America/Sao_Paulo",
                                           "UTC",           "Europe/Dublin"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace growth::timeexpr;
    if (size < 1) return 0;
    const std::uint8_t control = data[0];
    const std::string_view expr(reinterpret_cast<const char*>(data + 1), size - 1);
    // Wednesday 2026-12-02 08:00:00 UTC, a fixed clock so that a crash reproduces.
    const WhenContext ctx{Seconds{std::chrono::seconds{1796198400}}, zones[control % zones.size()],
                          static_cast<Fold>((control >> 3) % 3)};
    When w;
    try {
        w = parse_when(expr, ctx);
    } catch (const growth::Error& e) {
        if (e.kind() != "bad_input") fail(e.kind() + ": " + e.what());
        const std::string message = e.what();
        if (message.empty() || message.find('\n') != std::string::npos) fail("message is not one line");
        return 0;
    }
    const auto seconds = w.instant.time_since_epoch().count();
    if (seconds < 0 || seconds > 253402300799) fail("instant outside 1970..9999");
    const std::string utc = format_utc(w.instant);
    if (utc.size() != 20 || utc.back() != 'Z') fail("format_utc: " + utc);
    const date::time_zone* zone = find_zone(w.zone);
    if (format_local(w.instant, zone).empty()) fail("format_local");
    return 0;
}
