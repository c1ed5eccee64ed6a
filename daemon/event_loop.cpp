#include "daemon/event_loop.hpp"

#include <cerrno>
#include <system_error>

namespace growth::daemon {

namespace {
[[noreturn]] void throw_errno(const char* what) {
    throw std::system_error(errno, std::generic_category(), what);
}
}  // namespace

EventLoop::EventLoop() : epoll_(::epoll_create1(EPOLL_CLOEXEC)) {
    if (!epoll_) throw_errno("epoll_create1");
}

void EventLoop::add(int fd, std::uint32_t events, Callback callback) {
    const std::uint64_t token = next_token_++;
    epoll_event ev{};
    ev.events = events;
    ev.data.u64 = token;
    if (::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &ev) != 0) throw_errno("epoll_ctl(ADD)");
    watches_.emplace(token, Watch{fd, std::move(callback)});
    by_fd_[fd] = token;
}

void EventLoop::modify(int fd, std::uint32_t events) {
    const auto it = by_fd_.find(fd);
    if (it == by_fd_.end()) return;
    epoll_event ev{};
    ev.events = events;
    ev.data.u64 = it->second;
    if (::epoll_ctl(epoll_.get(), EPOLL_CTL_MOD, fd, &ev) != 0) throw_errno("epoll_ctl(MOD)");
}

void EventLoop::remove(int fd) noexcept {
    const auto it = by_fd_.find(fd);
    if (it == by_fd_.end()) return;
    ::epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, fd, nullptr);
    watches_.erase(it->second);
    by_fd_.erase(it);
}

void EventLoop::defer(std::function<void()> action) { deferred_.push_back(std::move(action)); }

void EventLoop::run_deferred() {
    // Deferred actions may defer more; run until the queue is empty.
    while (!deferred_.empty()) {
        auto batch = std::move(deferred_);
        deferred_.clear();
        for (auto& action : batch) action();
    }
}

bool EventLoop::run_once(int timeout_ms) {
    if (stopped_) return false;
    if (!deferred_.empty()) timeout_ms = 0;
    epoll_event events[32];
    const int n = ::epoll_wait(epoll_.get(), events, 32, timeout_ms);
    if (n < 0 && errno != EINTR) throw_errno("epoll_wait");
    for (int i = 0; i < n; ++i) {
        const auto it = watches_.find(events[i].data.u64);
        if (it == watches_.end()) continue;  // removed earlier in this round
        // Copy: the callback may remove its own watch, destroying the stored std::function.
        Callback callback = it->second.callback;
        callback(events[i].events);
    }
    run_deferred();
    return !stopped_;
}

void EventLoop::run() {
    while (run_once(-1)) {
    }
}

}  // namespace growth::daemon
