#pragma once
// The preflight driver (core/pipeline/preflight.hpp): 24 hours and 1 hour before a scheduled
// post is due it runs account.test (a refresh first where one is due, then who-am-I) for each of
// the post's accounts, through the method table like any client. An account that cannot
// authenticate becomes a problem: logged, in daemon.status "problems", and an events.watch event
// {"type":"post","state":"needs_auth","preflight":true,...} that the on_needs_auth hook runs for,
// while there is still time to log in. A problem ends when a later check passes, or once the
// account's secret was replaced (login, update) or the vault unlocked. Loop thread only.

#include <functional>
#include <map>
#include <set>
#include <string>

#include "core/pipeline/preflight.hpp"
#include "core/publish/publisher.hpp"
#include "core/rpc/method_table.hpp"
#include "core/secrets/vault.hpp"
#include "daemon/wall_timer.hpp"

namespace growth::daemon {

class Preflight {
public:
    using Clock = std::function<publish::Instant()>;
    using Emit = std::function<void(rpc::Json event)>;

    /// Every reference must outlive it. Throws std::system_error (the timerfd).
    Preflight(EventLoop& loop, Store& store, const rpc::MethodTable& methods, secrets::Vault& vault, Emit emit,
              Clock clock = {});

    /// A pass over what is due within each window now, then armed for the next. Call at start-up
    /// and whenever the queue may have changed. A store error is logged and tried again a minute
    /// later. Throws nothing.
    void run() noexcept;
    /// Post `post_id` was scheduled or moved: its accounts are checked at once when a pass
    /// already covered its due time, then run(). Throws nothing.
    void scheduled(const std::string& post_id) noexcept;
    /// Disarms (growthd is stopping). Throws nothing.
    void stop() noexcept;

    /// The problems now, for daemon.status: [{"account","kind","message","post","due","since"}]. Throws nothing (a store error leaves the list as it was).
    rpc::Json problems();
    /// Accounts being checked now (for tests and status). Throws nothing.
    std::size_t checking() const noexcept { return checking_.size(); }

private:
    struct Problem {
        std::string kind, message, post;
        pipeline::Millis due = 0, since = 0;
    };

    void check(const pipeline::DueAccount& due);
    void checked(const pipeline::DueAccount& due, const rpc::Json& response);
    pipeline::Millis now() const;

    EventLoop& loop_;
    Store& store_;
    const rpc::MethodTable& methods_;
    secrets::Vault& vault_;
    Emit emit_;
    Clock clock_;
    WallTimer timer_;
    pipeline::PreflightPlan plan_;
    std::set<std::string> checking_;
    std::map<std::string, Problem> problems_;
    bool stopped_ = false;
};

}  // namespace growth::daemon
