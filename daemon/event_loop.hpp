#pragma once
// The daemon's one event loop: epoll over file descriptors plus a queue of deferred actions.
// Everything runs on the thread that calls run(); nothing here is thread-safe.

#include <sys/epoll.h>

#include <cstdint>
#include <functional>
#include <map>
#include <vector>

#include "daemon/unique_fd.hpp"

namespace growth::daemon {

/// epoll-based reactor. Callbacks may add or remove descriptors (their own included) and defer
/// work; a removed descriptor's pending events in the current round are dropped, so an object can
/// unregister itself and be destroyed later from a deferred action, never inside its own callback.
class EventLoop {
public:
    /// Receives the epoll event mask (EPOLLIN, EPOLLOUT, EPOLLHUP, ...). May throw; an exception
    /// from a callback stops run() and propagates.
    using Callback = std::function<void(std::uint32_t events)>;

    /// Creates the epoll instance. Throws std::system_error.
    EventLoop();

    /// Watches `fd` for `events`. One registration per fd. Throws std::system_error.
    void add(int fd, std::uint32_t events, Callback callback);

    /// Changes the watched events of a registered fd. Throws std::system_error.
    void modify(int fd, std::uint32_t events);

    /// Stops watching `fd` (does not close it). Unknown fds are ignored. Throws nothing.
    void remove(int fd) noexcept;

    /// Runs `action` on the loop after the current round of callbacks. Throws std::bad_alloc.
    void defer(std::function<void()> action);

    /// Dispatches one round: waits up to `timeout_ms` (-1 forever) for events, runs their
    /// callbacks, then the deferred actions. Returns false once stop() was called.
    /// Throws what callbacks throw, or std::system_error from epoll_wait.
    bool run_once(int timeout_ms);

    /// Runs rounds until stop(). Blocks in epoll_wait with no timeout: an idle loop never wakes.
    void run();

    /// Makes run() return after the current round. Throws nothing.
    void stop() noexcept { stopped_ = true; }
    bool stopped() const noexcept { return stopped_; }

    /// Number of registered descriptors (for tests). Throws nothing.
    std::size_t watched() const noexcept { return by_fd_.size(); }

private:
    struct Watch {
        int fd;
        Callback callback;
    };
    void run_deferred();

    UniqueFd epoll_;
    std::uint64_t next_token_ = 1;
    std::map<std::uint64_t, Watch> watches_;  ///< token -> watch; tokens are never reused
    std::map<int, std::uint64_t> by_fd_;
    std::vector<std::function<void()>> deferred_;
    bool stopped_ = false;
};

}  // namespace growth::daemon
