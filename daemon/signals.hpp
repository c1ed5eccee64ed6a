#pragma once
// SIGTERM/SIGINT/SIGHUP delivered through a signalfd on the loop, so handlers run as ordinary code.

#include <functional>

#include "daemon/event_loop.hpp"
#include "daemon/unique_fd.hpp"

namespace growth::daemon {

/// Blocks TERM, INT and HUP for the process (the calling thread, before any other starts) and
/// reads them from a signalfd registered on the loop. SIGPIPE is ignored (send() uses
/// MSG_NOSIGNAL anyway; this also covers writes to a closed stderr).
class SignalSource {
public:
    struct Handlers {
        std::function<void(int signal)> stop;  ///< TERM or INT
        std::function<void()> reload;          ///< HUP
    };

    /// Throws std::system_error.
    SignalSource(EventLoop& loop, Handlers handlers);
    /// Unregisters and restores the original signal mask. Throws nothing.
    ~SignalSource();
    SignalSource(const SignalSource&) = delete;
    SignalSource& operator=(const SignalSource&) = delete;

private:
    void on_readable();

    EventLoop& loop_;
    Handlers handlers_;
    UniqueFd fd_;
    sigset_t old_mask_{};
};

}  // namespace growth::daemon
