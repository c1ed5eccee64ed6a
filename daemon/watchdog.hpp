#pragma once
// systemd's service watchdog (WatchdogSec=): pings WATCHDOG=1 at half the requested interval.
// Off unless systemd asks for it (WATCHDOG_USEC, and WATCHDOG_PID naming us), so by default an
// idle daemon still has no timer wake-ups.

#include <cstdint>

#include "daemon/event_loop.hpp"
#include "daemon/unique_fd.hpp"

namespace growth::daemon {

class Watchdog {
public:
    /// Reads WATCHDOG_USEC/WATCHDOG_PID and, when they apply to this process, arms a periodic
    /// CLOCK_MONOTONIC timerfd on the loop. Throws std::system_error when the timer cannot be made.
    explicit Watchdog(EventLoop& loop);
    ~Watchdog();
    Watchdog(const Watchdog&) = delete;
    Watchdog& operator=(const Watchdog&) = delete;

    /// The ping interval in microseconds, 0 when the watchdog is off.
    std::uint64_t interval_usec() const noexcept { return interval_usec_; }

private:
    EventLoop& loop_;
    UniqueFd fd_;
    std::uint64_t interval_usec_ = 0;
};

}  // namespace growth::daemon
