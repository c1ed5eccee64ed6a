#include "daemon/publish_timer.hpp"

#include <sys/timerfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <system_error>

namespace growth::daemon {

OneShotTimer::OneShotTimer(EventLoop& loop, std::chrono::milliseconds delay,
                           std::function<void()> action)
    : loop_(loop),
      fd_(::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC)),
      action_(std::move(action)) {
    if (!fd_) throw std::system_error(errno, std::generic_category(), "timerfd_create");
    const long long ms = delay.count() > 0 ? delay.count() : 0;
    itimerspec spec{};
    spec.it_value.tv_sec = static_cast<time_t>(ms / 1000);
    spec.it_value.tv_nsec = ms == 0 ? 1 : static_cast<long>((ms % 1000) * 1'000'000L);
    if (::timerfd_settime(fd_.get(), 0, &spec, nullptr) != 0) {
        throw std::system_error(errno, std::generic_category(), "timerfd_settime");
    }
    loop_.add(fd_.get(), EPOLLIN, [this](std::uint32_t) {
        std::uint64_t n = 0;
        [[maybe_unused]] const ssize_t r = ::read(fd_.get(), &n, sizeof n);
        loop_.remove(fd_.get());
        // The action may destroy this timer: move it out first.
        auto fire = std::move(action_);
        if (fire) fire();
    });
}

OneShotTimer::~OneShotTimer() { loop_.remove(fd_.get()); }

}  // namespace growth::daemon
