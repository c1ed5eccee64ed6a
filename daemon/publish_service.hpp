#pragma once
// Publishing now: drives each target's parts through its platform publisher and the HTTP
// transport, committing every step first (core/publish/publisher.hpp's driving contract), and
// answers the calls waiting for a post. Loop thread only; never blocks the loop.

#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "core/http/transport.hpp"
#include "core/pipeline/budget.hpp"
#include "core/pipeline/post_store.hpp"
#include "core/pipeline/records.hpp"
#include "core/publish/types.hpp"
#include "core/rpc/deferred.hpp"
#include "core/rpc/json.hpp"
#include "core/secrets/secret_store.hpp"
#include "core/store/store.hpp"
#include "daemon/event_loop.hpp"
#include "daemon/token_refresher.hpp"
#include "daemon/publish_timer.hpp"

namespace growth::daemon {

/// Runs targets. One TargetRun per target at most; targets of different accounts run in
/// parallel. A thread (a target of several parts) runs alone on its account, so it is never
/// interleaved with another post; single-part targets of one account run side by side, at most
/// parallel_per_account() at once. A target that cannot start now waits, in the order started.
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
    /// already running or waiting; it waits while another target of its account runs, and is
    /// read again from the store when its turn comes. Throws growth::Error("store_*").
    void start_target(std::int64_t target_id);

    /// Same, for a target already read (with its post's media URL). Throws std::bad_alloc.
    void start_target(pipeline::TargetRecord target, const std::string& media_url);

    /// Asks every running target of `post_id` to stop after its current part: what waits of it
    /// becomes `canceled` (pipeline::cancel_waiting_parts) and it settles. Returns how many were
    /// asked. Throws std::bad_alloc.
    int stop_after_current(const std::string& post_id);

    /// Answers `reply` with post.show's result once no target of `post_id` is running (at once
    /// when none is). Throws std::bad_alloc.
    void when_settled(const std::string& post_id, rpc::Responder reply);

    /// post.show's result for `post_id`. Throws growth::Error("post_not_found", "store_*").
    rpc::Json show(const std::string& post_id);

    /// show(), after telling the event subscribers the post's state (it was scheduled, moved,
    /// canceled or fired). Throws as show().
    rpc::Json announce(const std::string& post_id);

    /// Same, for a post already read. Throws std::bad_alloc.
    rpc::Json announce(const pipeline::PostRecord& post);

    /// Where state changes go (events.watch): {"type":"post","post","state","due"} and
    /// {"type":"target","post","account","platform","state"}. Throws nothing.
    void on_event(std::function<void(rpc::Json)> f) noexcept { on_event_ = std::move(f); }

    /// Resumes targets a crash or stop interrupted (a part left `prepared` or `sending`): a part
    /// in `sending` is checked through the platform before anything is re-sent; a target whose
    /// next part is `prepared` while its post was recorded more than 15 minutes ago
    /// (pipeline::catch_up_window_ms) is not resumed but marked `missed` (`growthctl retry`
    /// publishes it). Called once at start-up. A target the store cannot read or mark now (busy,
    /// full disk) is logged and tried again later on the loop (backoff from 1 s to 1 min) until
    /// it can. Throws std::bad_alloc.
    void recover();

    /// Continues every target whose part waits as needs_auth for the error kind `kind` (after
    /// `growthctl unlock`: "vault_locked"). Returns how many were started; a target that cannot
    /// be read is logged and left waiting (growthctl retry continues it). Throws std::bad_alloc.
    std::size_t continue_waiting_for(std::string_view kind);

    /// Stops taking work for a graceful stop: no new target starts and no run starts another
    /// part once its current part is settled; `idle` runs (from the loop) once no target is running, at once when none
    /// is. Parts not started stay `prepared` and are resumed by recover() at the next start.
    /// A confirmed part whose commit is waiting for a retry is committed once more at once; if
    /// that fails too, the log says loudly which remote id was not recorded. Throws std::bad_alloc.
    void drain(std::function<void()> idle);

    /// Targets running now. Throws nothing.
    std::size_t running() const noexcept { return runs_.size(); }

    /// Targets waiting for their account. Throws nothing.
    std::size_t waiting() const noexcept { return waiting_ids_.size(); }

    /// The ids of the targets running now. Throws std::bad_alloc.
    std::set<std::int64_t> running_ids() const;

    /// The ids of the targets running or waiting for their account: starting them again does
    /// nothing. Throws std::bad_alloc.
    std::set<std::int64_t> busy_ids() const;

    /// The posting budgets a target's run checks before its first part (a thread waits whole, in
    /// retry_wait, until it fits). Throws std::bad_alloc.
    void set_budgets(pipeline::Budgets budgets) { budgets_ = std::move(budgets); }
    /// Where a run asks for a logged-in account's token to be refreshed before its first part
    /// (null: never). Must outlive the service.
    void set_refresher(TokenRefresher* refresher) noexcept { refresher_ = refresher; }

    /// The budgets in force. Throws nothing.
    const pipeline::Budgets& budgets() const noexcept { return budgets_; }

    /// How many single-part targets of one account may run at once (at least 1; the daemon uses
    /// limits.max_transfers_per_account, so each has its transfer). Throws nothing.
    void set_parallel_per_account(std::size_t n) noexcept { parallel_per_account_ = n == 0 ? 1 : n; }
    std::size_t parallel_per_account() const noexcept { return parallel_per_account_; }

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
    /// Whether a target of `post_id` runs or waits for its account.
    bool busy(const std::string& post_id) const;
    /// Starts the waiting targets of `account_id` that can start now, oldest first.
    void start_waiting(std::int64_t account_id);
    /// Whether a target (`single`: of one part) may start beside what `account_id` runs now.
    bool may_join(std::int64_t account_id, bool single) const;
    /// Runs `target` now (start_target decided it may). Throws std::bad_alloc.
    void launch(pipeline::TargetRecord target, const std::string& media_url);
    /// Parts of `account_id` that running targets will publish (checked against its budget, not
    /// yet recorded as published): their budget check counts them as used. Throws nothing.
    int reserved_parts(std::int64_t account_id) const noexcept;
    void answer_waiters(const std::string& post_id);
    /// Writes the states of the posts that settled in this loop round in one transaction, then
    /// tells the event subscribers and answers their waiting calls.
    void settle_all();
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
    /// Running targets by account id, and the targets waiting for each account, oldest first.
    std::map<std::int64_t, std::set<std::int64_t>> account_runs_;
    struct Waiting {
        std::int64_t target_id;
        std::string post_id;
        std::string media_url;
        bool single;  ///< of one part: may run beside other single-part targets
    };
    std::map<std::int64_t, std::deque<Waiting>> waiting_;
    std::set<std::int64_t> waiting_ids_;
    std::multimap<std::string, rpc::Responder> waiters_;
    std::vector<pipeline::ProgressStep> batch_;
    bool draining_ = false;
    std::function<void()> on_idle_;
    std::vector<std::function<void(std::exception_ptr)>> batch_then_;
    struct Settled {
        pipeline::PostStates states;
        rpc::Json view;
        std::vector<rpc::Responder> ready;
    };
    std::vector<Settled> settled_;
    std::unique_ptr<OneShotTimer> recover_timer_;
    int recover_failures_ = 0;
    std::function<void()> on_settled_;
    pipeline::Budgets budgets_;
    TokenRefresher* refresher_ = nullptr;
    std::function<void(rpc::Json)> on_event_;
    std::size_t parallel_per_account_ = 4;
};

}  // namespace growth::daemon
