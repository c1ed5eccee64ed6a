#pragma once
// Publishing now: drives each target's parts through its platform publisher and the HTTP
// transport, committing every step first (core/publish/publisher.hpp's driving contract), and
// answers the calls waiting for a post. Loop thread only; never blocks the loop.

#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "core/http/transport.hpp"
#include "core/pipeline/post_store.hpp"
#include "core/pipeline/records.hpp"
#include "core/publish/types.hpp"
#include "core/rpc/deferred.hpp"
#include "core/rpc/json.hpp"
#include "core/secrets/secret_store.hpp"
#include "core/store/store.hpp"
#include "daemon/event_loop.hpp"
#include "daemon/publish_timer.hpp"

namespace growth::daemon {

/// Runs targets. One TargetRun per target at most; targets run in parallel.
class PublishService {
public:
    /// The wall clock the service stamps and decides with (a fixed one in tests).
    using Clock = std::function<publish::Instant()>;

    /// Every reference must outlive the service; an empty `clock` is the system clock.
    /// Throws std::bad_alloc.
    PublishService(EventLoop& loop, Store& store, secrets::SecretStore& secrets,
                   http::Transport& transport, Clock clock = {});
    ~PublishService();
    PublishService(const PublishService&) = delete;
    PublishService& operator=(const PublishService&) = delete;

    /// Starts (or continues) target `target_id` from its first unpublished part, unless it is
    /// already running. Throws growth::Error("store_*").
    void start_target(std::int64_t target_id);

    /// Same, for a target already read (with its post's media URL). Throws std::bad_alloc.
    void start_target(pipeline::TargetRecord target, const std::string& media_url);

    /// Answers `reply` with post.show's result once no target of `post_id` is running (at once
    /// when none is). Throws std::bad_alloc.
    void when_settled(const std::string& post_id, rpc::Responder reply);

    /// post.show's result for `post_id`. Throws growth::Error("post_not_found", "store_*").
    rpc::Json show(const std::string& post_id);

    /// Resumes targets a crash or stop interrupted (a part left `prepared` or `sending`): a part
    /// in `sending` is checked through the platform before anything is re-sent; a target whose
    /// next part is `prepared` while its post was recorded more than 15 minutes ago
    /// (pipeline::catch_up_window_ms) is not resumed but marked `missed` (`growthctl retry`
    /// publishes it). Called once at start-up. A target the store cannot read or mark now (busy,
    /// full disk) is logged and tried again later on the loop (backoff from 1 s to 1 min) until
    /// it can. Throws std::bad_alloc.
    void recover();

    /// Stops taking work for a graceful stop: no new target starts and no run starts another
    /// part once its current part is settled; `idle` runs (from the loop) once no target is running, at once when none
    /// is. Parts not started stay `prepared` and are resumed by recover() at the next start.
    /// A confirmed part whose commit is waiting for a retry is committed once more at once; if
    /// that fails too, the log says loudly which remote id was not recorded. Throws std::bad_alloc.
    void drain(std::function<void()> idle);

    /// Targets running now. Throws nothing.
    std::size_t running() const noexcept { return runs_.size(); }

    /// The ids of the targets running now. Throws std::bad_alloc.
    std::set<std::int64_t> running_ids() const;

    /// Runs `f` (from the loop) whenever a post has settled: the scheduler re-arms for the retry
    /// times its parts may now have. Throws nothing.
    void on_settled(std::function<void()> f) noexcept { on_settled_ = std::move(f); }

private:
    class TargetRun;
    publish::Instant now() const { return clock_(); }
    /// One pass of recover(); returns false when some target must be tried again later.
    bool recover_pass();
    friend class TargetRun;
    void finished(std::int64_t target_id, const std::string& post_id, const std::string& target_state);
    void answer_waiters(const std::string& post_id);
    /// Queues `step` for the group commit at the end of this loop round; `then` runs after it
    /// (with the error when the commit failed). Throws std::bad_alloc.
    void commit_then(pipeline::ProgressStep step, std::function<void(std::exception_ptr)> then);
    void flush_commits();

    EventLoop& loop_;
    Store& store_;
    secrets::SecretStore& secrets_;
    http::Transport& transport_;
    Clock clock_;
    std::mt19937 random_;
    std::map<std::int64_t, std::shared_ptr<TargetRun>> runs_;
    std::multimap<std::string, rpc::Responder> waiters_;
    std::vector<pipeline::ProgressStep> batch_;
    bool draining_ = false;
    std::function<void()> on_idle_;
    std::vector<std::function<void(std::exception_ptr)>> batch_then_;
    std::unique_ptr<OneShotTimer> recover_timer_;
    int recover_failures_ = 0;
    std::function<void()> on_settled_;
};

}  // namespace growth::daemon
