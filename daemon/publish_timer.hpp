#pragma once
// A one-shot monotonic timer on the loop, for the short automatic retries inside one publish.

#include <chrono>
#include <functional>

#include "daemon/event_loop.hpp"
#include "daemon/unique_fd.hpp"

namespace growth::daemon {

/// Fires `action` once, `delay` after construction, from the loop. Destroying it cancels it.
/// Loop thread only.
class OneShotTimer {
public:
    /// Throws std::system_error.
    OneShotTimer(EventLoop& loop, std::chrono::milliseconds delay, std::function<void()> action);
    ~OneShotTimer();
    OneShotTimer(const OneShotTimer&) = delete;
    OneShotTimer& operator=(const OneShotTimer&) = delete;

private:
    EventLoop& loop_;
    UniqueFd fd_;
    std::function<void()> action_;
};

}  // namespace growth::daemon
