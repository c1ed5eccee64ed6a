#include "daemon/watchdog.hpp"

#include <sys/timerfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <string>
#include <system_error>

#include "daemon/systemd.hpp"

namespace growth::daemon {

Watchdog::Watchdog(EventLoop& loop) : loop_(loop) {
    const char* usec = std::getenv("WATCHDOG_USEC");
    const char* pid = std::getenv("WATCHDOG_PID");
    if (usec == nullptr) return;
    if (pid != nullptr && std::strtol(pid, nullptr, 10) != ::getpid()) return;
    const unsigned long long requested = std::strtoull(usec, nullptr, 10);
    if (requested == 0) return;
    interval_usec_ = requested / 2;
    fd_.reset(::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC));
    if (!fd_) throw std::system_error(errno, std::generic_category(), "timerfd_create");
    itimerspec spec{};
    spec.it_interval.tv_sec = static_cast<time_t>(interval_usec_ / 1000000);
    spec.it_interval.tv_nsec = static_cast<long>((interval_usec_ % 1000000) * 1000);
    spec.it_value = spec.it_interval;
    if (::timerfd_settime(fd_.get(), 0, &spec, nullptr) != 0) {
        throw std::system_error(errno, std::generic_category(), "timerfd_settime");
    }
    loop_.add(fd_.get(), EPOLLIN, [this](std::uint32_t) {
        std::uint64_t expirations = 0;
        [[maybe_unused]] const ssize_t n = ::read(fd_.get(), &expirations, sizeof expirations);
        systemd::notify("WATCHDOG=1");
    });
}

Watchdog::~Watchdog() {
    if (fd_) loop_.remove(fd_.get());
}

}  // namespace growth::daemon
