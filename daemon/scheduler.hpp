#pragma once
// The timer queue's driver: fires scheduled posts at their due time and resumes parts whose retry
// time has come, with one wall-clock timer armed for the earliest of them (nothing armed while
// nothing waits, so an idle daemon never wakes). Loop thread only.

#include <chrono>
#include <functional>
#include <memory>
#include <random>

#include "core/store/store.hpp"
#include "daemon/publish_service.hpp"
#include "daemon/wall_timer.hpp"

namespace growth::daemon {

class Scheduler {
public:
    /// The wall clock it decides with (a fixed one in tests); empty: the system clock.
    using Clock = std::function<publish::Instant()>;

    /// Every reference must outlive the scheduler. Throws std::system_error (the timerfd).
    Scheduler(EventLoop& loop, Store& store, PublishService& publishing, Clock clock = {});

    /// Fires what is due now (a bounded batch per loop round) and arms the timer for what comes
    /// next. Call it at start-up after recovery, and whenever the queue may have changed: a post
    /// scheduled, cancelled or moved, a post settled (a part may now wait for a retry time), the
    /// wall clock set. A store error is logged and the pass tried again a second later.
    /// Throws nothing.
    void run() noexcept;

    /// Disarms and fires nothing more (growthd is stopping). Throws nothing.
    void stop() noexcept;

    /// The instant the timer is armed for, if any. Throws nothing.
    std::optional<std::chrono::system_clock::time_point> armed() const noexcept { return timer_.armed(); }

private:
    /// One pass; returns whether more is due at once (the batch was full).
    bool fire_due(pipeline::Millis now);

    Store& store_;
    PublishService& publishing_;
    Clock clock_;
    WallTimer timer_;
    std::mt19937 random_{std::random_device{}()};
    bool stopped_ = false;
};

}  // namespace growth::daemon
