#pragma once
// Config hooks ([hooks] on_published, on_failed, on_unknown, on_missed, on_needs_auth): when a
// post settles in that state, growthd runs the command with /bin/sh -c, details in environment
// variables (never a token), without blocking the loop: each child is watched through a pidfd
// and reaped when it exits; one running longer than a minute is killed. At most 8 run at once;
// an event past that is logged as skipped, never dropped silently. Loop thread only.

#include <sys/types.h>

#include <map>
#include <memory>
#include <string>

#include "core/rpc/json.hpp"
#include "daemon/event_loop.hpp"
#include "daemon/publish_timer.hpp"

namespace growth::daemon {

class Hooks {
public:
    /// The command per post state ("published", "failed", ...); an empty map runs nothing.
    using Commands = std::map<std::string, std::string>;

    explicit Hooks(EventLoop& loop) : loop_(loop) {}
    ~Hooks();
    Hooks(const Hooks&) = delete;
    Hooks& operator=(const Hooks&) = delete;

    /// Replaces the commands (config load and reload). Throws std::bad_alloc.
    void set(Commands commands) { commands_ = std::move(commands); }

    /// Runs the hook of a post event's state, if one is set: GROWTH_EVENT (the event as JSON),
    /// GROWTH_POST_ID, GROWTH_STATE and GROWTH_DUE are added to growthd's environment. Throws
    /// nothing (a hook that cannot start is logged).
    void on_event(const rpc::Json& event) noexcept;

    /// Hooks running now. Throws nothing.
    std::size_t running() const noexcept { return children_.size(); }

private:
    struct Child {
        pid_t pid;
        int pidfd;
        std::string what;
        std::unique_ptr<OneShotTimer> deadline;
    };
    void reap(int pidfd) noexcept;

    EventLoop& loop_;
    Commands commands_;
    std::map<int, Child> children_;  ///< by pidfd
};

}  // namespace growth::daemon
