#pragma once
// The scheduler's alarm: one CLOCK_REALTIME timerfd armed at an absolute wall-clock instant with
// TFD_TIMER_CANCEL_ON_SET, so it fires correctly across suspend and reports wall-clock jumps.

#include <chrono>
#include <functional>
#include <optional>

#include "daemon/event_loop.hpp"
#include "daemon/unique_fd.hpp"

namespace growth::daemon {

/// Disarmed until arm() is called, so an idle daemon has no timer wake-ups.
class WallTimer {
public:
    using TimePoint = std::chrono::system_clock::time_point;
    struct Handlers {
        std::function<void()> due;           ///< the armed instant was reached
        std::function<void()> clock_jumped;  ///< the wall clock was set (ECANCELED): recompute
    };

    /// Throws std::system_error.
    WallTimer(EventLoop& loop, Handlers handlers);
    ~WallTimer();
    WallTimer(const WallTimer&) = delete;
    WallTimer& operator=(const WallTimer&) = delete;

    /// Fires once at `when` (immediately if it is past). Replaces any earlier arming.
    /// Throws std::system_error.
    void arm(TimePoint when);
    /// Cancels the pending expiry, if any. Throws std::system_error.
    void disarm();
    /// The instant armed, or nullopt when disarmed.
    std::optional<TimePoint> armed() const noexcept { return armed_; }

private:
    void on_readable();

    EventLoop& loop_;
    Handlers handlers_;
    UniqueFd fd_;
    std::optional<TimePoint> armed_;
};

}  // namespace growth::daemon
