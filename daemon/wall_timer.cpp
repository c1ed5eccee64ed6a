#include "daemon/wall_timer.hpp"

#include <sys/timerfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <system_error>

namespace growth::daemon {

WallTimer::WallTimer(EventLoop& loop, Handlers handlers)
    : loop_(loop),
      handlers_(std::move(handlers)),
      fd_(::timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK | TFD_CLOEXEC)) {
    if (!fd_) throw std::system_error(errno, std::generic_category(), "timerfd_create");
    loop_.add(fd_.get(), EPOLLIN, [this](std::uint32_t) { on_readable(); });
}

WallTimer::~WallTimer() { loop_.remove(fd_.get()); }

void WallTimer::arm(TimePoint when) {
    using namespace std::chrono;
    auto since_epoch = duration_cast<nanoseconds>(when.time_since_epoch());
    // it_value zero would disarm; an instant at or before the epoch means "now".
    if (since_epoch.count() <= 0) since_epoch = nanoseconds(1);
    itimerspec spec{};
    spec.it_value.tv_sec = static_cast<time_t>(since_epoch.count() / 1'000'000'000);
    spec.it_value.tv_nsec = static_cast<long>(since_epoch.count() % 1'000'000'000);
    if (::timerfd_settime(fd_.get(), TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &spec, nullptr) !=
        0) {
        throw std::system_error(errno, std::generic_category(), "timerfd_settime");
    }
    armed_ = when;
}

void WallTimer::disarm() {
    itimerspec spec{};
    if (::timerfd_settime(fd_.get(), 0, &spec, nullptr) != 0) {
        throw std::system_error(errno, std::generic_category(), "timerfd_settime");
    }
    armed_.reset();
}

void WallTimer::on_readable() {
    std::uint64_t expirations = 0;
    const ssize_t n = ::read(fd_.get(), &expirations, sizeof expirations);
    if (n < 0 && errno == ECANCELED) {
        // The wall clock was set. The arming is void; the scheduler recomputes and re-arms.
        disarm();
        if (handlers_.clock_jumped) handlers_.clock_jumped();
        return;
    }
    if (n != static_cast<ssize_t>(sizeof expirations)) return;  // spurious (EAGAIN)
    armed_.reset();
    if (handlers_.due) handlers_.due();
}

}  // namespace growth::daemon
