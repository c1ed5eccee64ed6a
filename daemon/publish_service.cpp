#include "daemon/publish_service.hpp"

#include <algorithm>
#include <chrono>
#include <exception>
#include <utility>
#include <variant>

#include <fmt/format.h>

#include "core/accounts/accounts.hpp"
#include "core/accounts/tokens.hpp"
#include "core/error.hpp"
#include "core/pipeline/post_json.hpp"
#include "core/pipeline/post_store.hpp"
#include "core/pipeline/progress.hpp"
#include "core/pipeline/schedule.hpp"
#include "core/publish/publisher.hpp"
#include "daemon/log.hpp"
#include "daemon/publish_timer.hpp"

namespace growth::daemon {

namespace {

publish::Instant system_now() {
    return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

pipeline::Millis millis(publish::Instant t) { return t.time_since_epoch().count(); }

/// A retry_wait this soon is retried inside the same publish; later ones are left for
/// `growthctl retry` (and the scheduler).
constexpr pipeline::Millis short_retry_ms = 5'000;
constexpr int max_short_retries = 3;

/// A commit that failed (busy, disk full) is tried again after 50 ms, doubling up to 5 s, for as
/// long as it fails: what the platform confirmed is never dropped.
constexpr std::chrono::milliseconds first_commit_retry{50};
constexpr std::chrono::milliseconds max_commit_retry{5'000};

publish::Failure make_failure(publish::FailureClass cls, std::string code, std::string message) {
    publish::Failure f;
    f.cls = cls;
    f.code = std::move(code);
    f.message = std::move(message);
    return f;
}

// A failure of our own side before anything was sent: a locked vault makes the part wait for
// `growthctl unlock` (which continues it), anything else fails it for good.
publish::Failure local_failure(const Error& e) {
    if (e.kind() == "vault_locked") return make_failure(publish::FailureClass::needs_login, e.kind(), e.what());
    return make_failure(publish::FailureClass::permanent, e.kind(), e.what());
}

std::string what_of(std::exception_ptr error) {
    try {
        std::rethrow_exception(error);
    } catch (const std::exception& e) {
        return e.what();
    } catch (...) {
        return "unknown error";
    }
}

}  // namespace

/// Publishes one target's remaining parts, one after the other. Kept alive by the service's map
/// and by the transport callback or timer it is waiting for.
class PublishService::TargetRun : public std::enable_shared_from_this<TargetRun> {
public:
    TargetRun(PublishService& service, pipeline::TargetRecord target, std::string media_url)
        : service_(service), target_(std::move(target)), media_url_(std::move(media_url)) {}

    const std::string& post_id() const noexcept { return target_.post_id; }
    std::optional<std::int64_t> account_id() const noexcept { return target_.account_id; }
    const std::string& account_name() const noexcept { return target_.account; }
    publish::Platform platform() const noexcept { return target_.platform; }
    bool single() const noexcept { return target_.parts.size() == 1; }
    /// Parts this run passed the budget check for and has not yet recorded as published.
    int reserved() const noexcept { return reserved_; }

    /// Starts the first unpublished part, or finishes when there is none.
    void next() {
        try {
            const auto i = pipeline::first_unpublished(target_);
            if (!i || service_.draining_) {
                // Done (or stopping: the rest stays `prepared` for recover() at the next start).
                // The last remote id joins this round's group commit.
                return commit_pending_then([self = shared_from_this()] { self->finish(); });
            }
            if (cancel_) return cancel_rest(*i);
            index_ = *i;
            auto& part = target_.parts[index_];
            if (!target_.account_id) {
                return fail(make_failure(publish::FailureClass::permanent, "account_removed",
                                         "account '" + target_.account + "' was removed"));
            }
            if (!view_) {
                account_ = accounts::get(service_.store_, target_.account);
                if (!token_checked_ && service_.refresher_) {
                    // Once per run: a logged-in account's token is refreshed first when due (and
                    // once more after the platform refused it, see fail()).
                    token_checked_ = true;
                    const bool force = std::exchange(force_refresh_, false);
                    return service_.refresher_->ensure_fresh(account_, force, [self = shared_from_this()](
                                                                                  std::exception_ptr e) {
                        self->token_refreshed(e);
                    });
                }
                try {
                    view_ = std::make_unique<publish::Account>(
                        accounts::publisher_account(account_, service_.secrets_));
                } catch (const Error& e) {
                    if (e.kind() != "needs_auth") throw;
                    return fail(make_failure(publish::FailureClass::needs_login, "needs_auth", e.what()));
                }
            }
            if ((part.state == PartState::sending || part.state == PartState::unknown) &&
                !part.verify_on_retry) {
                // An attempt of this part was cut off or its outcome is unknown: record that before
                // anything else can fail, so no later failure forgets to check first.
                pipeline::mark_uncertain(service_.store_, part.id, millis(service_.now()));
                part.verify_on_retry = true;
            }
            if (!budget_checked_) {
                // Once per run, before its first part: the whole rest of the thread must fit.
                budget_checked_ = true;
                if (auto wait = over_budget()) return fail(*wait);
                reserved_ = static_cast<int>(target_.parts.size() - index_);
            }
            machine_ = publish::make_part_publisher(*view_, pipeline::part_to_send(target_, index_, media_url_));
            marked_sending_ = false;
            step(machine_->start(service_.now()));
        } catch (const Error& e) {
            // E.g. the vault is locked or unreadable: the part says why (fail() aborts when even
            // that cannot be recorded).
            fail(local_failure(e));
        } catch (const std::exception& e) {
            abort(e.what());
        }
    }

    /// True (once per run) when a needs-login failure should be met with a forced refresh: the
    /// account logged in and has a refresh token, and the run has not forced one yet.
    bool may_refresh_after_refusal() {
        if (!service_.refresher_ || refusal_refreshed_ || !view_) return false;
        if (accounts::token_state(service_.secrets_, account_).refresh_token.empty()) return false;
        refusal_refreshed_ = true;
        force_refresh_ = true;
        token_checked_ = false;
        view_.reset();
        return true;
    }

    /// The token check of next() answered: go on, or the part waits (needs_auth: a login is
    /// needed; refresh_failed: again in a minute).
    void token_refreshed(std::exception_ptr e) {
        if (!e) {
            service_.loop_.defer([self = shared_from_this()] { self->next(); });
            return;
        }
        try {
            std::rethrow_exception(e);
        } catch (const Error& err) {
            if (err.kind() == "needs_auth") return fail(make_failure(publish::FailureClass::needs_login, "needs_auth", err.what()));
            if (err.kind() == "refresh_failed") {
                publish::Failure f = make_failure(publish::FailureClass::retry_safe, "refresh_failed", err.what());
                f.retry_at = service_.now() + std::chrono::minutes(1);
                return fail(f);
            }
            fail(local_failure(err));
        } catch (const std::exception& x) {
            abort(x.what());
        }
    }

    /// growthctl cancel: nothing more of this target goes out after the part on the wire (at once
    /// when it waits for a short retry). Throws std::bad_alloc.
    void cancel() {
        cancel_ = true;
        if (!timer_) return;
        timer_.reset();
        service_.loop_.defer([self = shared_from_this()] { self->next(); });
    }

    /// A graceful stop began: a commit waiting for its retry is tried once more at once, without
    /// the next part's `sending` (that part is not started).
    void drain_now() {
        if (!unsaved_ || !commit_timer_) return;
        commit_timer_.reset();
        final_commit();
    }

private:
    /// A failure that waits for room when the rest of the thread does not fit the account's
    /// posting budget now.
    std::optional<publish::Failure> over_budget() {
        const auto& rules = service_.budgets_[static_cast<std::size_t>(target_.platform)];
        if (rules.empty() || !target_.account_id) return std::nullopt;
        const auto t = millis(service_.now());
        auto published = pipeline::published_since(service_.store_, *target_.account_id,
                                                   t - pipeline::longest_window(rules));
        // What the account's other running targets are about to publish counts as used now.
        published.insert(published.end(), static_cast<std::size_t>(service_.reserved_parts(*target_.account_id)), t);
        const int need = static_cast<int>(target_.parts.size() - index_);
        const auto at = pipeline::budget_free_at(rules, published, need, t);
        if (at <= t) return std::nullopt;
        std::string budget;
        for (const auto& u : pipeline::quota_use(rules, published, t)) {
            budget += fmt::format("{}{} ({} used)", budget.empty() ? "" : ", ", pipeline::describe(u.rule), u.used);
        }
        publish::Failure f = make_failure(publish::FailureClass::rate_limited, "budget",
                                          fmt::format("waiting for {}'s posting budget: {}; {} part(s) go out at {}",
                                                      target_.account, budget, need, pipeline::iso_millis(at)));
        f.retry_at = publish::Instant(std::chrono::milliseconds(at));
        return f;
    }

    /// Cancels the parts from `first` on that wait; a part whose outcome is uncertain stays as it
    /// is (growthctl resolve decides it).
    void cancel_rest(std::size_t first) {
        const int n = pipeline::cancel_waiting_parts(service_.store_, target_.id, millis(service_.now()));
        for (std::size_t k = first; k < target_.parts.size(); ++k) {
            auto& p = target_.parts[k];
            if (p.state == PartState::prepared || p.state == PartState::retry_wait ||
                p.state == PartState::missed || p.state == PartState::needs_auth || p.state == PartState::scheduled) {
                p.state = PartState::canceled;
            }
        }
        log(LogLevel::info, "post {} {}: canceled; {} part(s) not sent", target_.post_id, target_.account, n);
        commit_pending_then([self = shared_from_this()] { self->finish(); });
    }

    void step(publish::PartStep s) {
        try {
            auto& part = target_.parts[index_];
            if (auto* send = std::get_if<publish::Send>(&s)) {
                const auto t = millis(service_.now());
                if (send->checkpoint.container_id) {
                    pipeline::save_container(service_.store_, part.id, *send->checkpoint.container_id, t);
                    part.container_id = *send->checkpoint.container_id;
                }
                if (send->checkpoint.session) {
                    accounts::save_session(service_.secrets_, account_, *send->checkpoint.session);
                    view_->session = *send->checkpoint.session;
                }
                if (!marked_sending_) {
                    // The previous part's remote id and this part's `sending` are committed
                    // together (with other targets' steps of this round) before the request goes.
                    pipeline::ProgressStep progress;
                    progress.published = std::move(pending_);
                    pending_.reset();
                    progress.sending_part_id = part.id;
                    if (index_ > 0) {
                        const auto& prev = target_.parts[index_ - 1];
                        const auto& first = target_.parts[0];
                        progress.parent = publish::PartRef{prev.remote_id, prev.remote_cid, prev.remote_url};
                        progress.root = publish::PartRef{first.remote_id, first.remote_cid, first.remote_url};
                    }
                    marked_sending_ = true;
                    return commit(std::move(progress), [self = shared_from_this(), t,
                                                        request = std::move(send->request)]() mutable {
                        auto& p = self->target_.parts[self->index_];
                        p.verify_on_retry = pipeline::needs_check(p);
                        p.state = PartState::sending;
                        ++p.attempts;
                        if (!p.first_attempt_at) p.first_attempt_at = t;
                        self->send_request(std::move(request));
                    });
                }
                send_request(std::move(send->request));
                return;
            }
            if (auto* published = std::get_if<publish::Published>(&s)) {
                // Committed with the next part's `sending` (or alone when nothing follows), before
                // anything else goes on the wire. Kept until it is on disk.
                pending_ = pipeline::PublishedPart{part.id, *published};
                part.state = PartState::published;
                part.remote_id = published->remote_id.empty() ? published->ref.id : published->remote_id;
                part.remote_cid = published->ref.cid;
                part.remote_url = published->url.empty() ? published->ref.url : published->url;
                part.verify_on_retry = false;
                short_retries_ = 0;
                return next();
            }
            fail(std::get<publish::Failure>(s));
        } catch (const std::exception& e) {
            abort(e.what());
        }
    }

    void send_request(http::HttpRequest request) {
        request.owner.account = target_.account;  // at most N transfers per account at once
        service_.transport_.send(std::move(request), [self = shared_from_this()](http::Outcome outcome) {
            self->step(self->machine_->feed(outcome, self->service_.now()));
        });
    }

    /// Commits `step` through the group commit, then runs `then`. A failed commit keeps the step
    /// (a confirmed remote id above all) and tries again with backoff; nothing more of this
    /// target goes out meanwhile.
    void commit(pipeline::ProgressStep step, std::function<void()> then) {
        unsaved_ = std::move(step);
        unsaved_then_ = std::move(then);
        try_commit();
    }

    /// commit() of the published part waiting for the next step (if any), then `then`.
    void commit_pending_then(std::function<void()> then) {
        if (!pending_) return then();
        pipeline::ProgressStep last;
        last.published = std::move(pending_);
        pending_.reset();
        commit(std::move(last), std::move(then));
    }

    void try_commit() {
        service_.commit_then(*unsaved_, [self = shared_from_this()](std::exception_ptr error) {
            if (error) return self->commit_failed(error);
            if (self->unsaved_->published && self->reserved_ > 0) --self->reserved_;
            self->unsaved_.reset();
            self->commit_failures_ = 0;
            auto then = std::move(self->unsaved_then_);
            self->unsaved_then_ = nullptr;
            then();
        });
    }

    std::string unsaved_summary() const {
        if (!unsaved_ || !unsaved_->published) return "";
        const auto& p = unsaved_->published->published;
        for (const auto& part : target_.parts) {
            if (part.id != unsaved_->published->part_id) continue;
            return fmt::format("part {} was published as {} ({})", part.index,
                               p.remote_id.empty() ? p.ref.id : p.remote_id,
                               p.url.empty() ? p.ref.url : p.url);
        }
        return "";
    }

    void commit_failed(std::exception_ptr error) {
        ++commit_failures_;
        if (final_commit_) return give_up(what_of(error));
        if (service_.draining_) return final_commit();
        const std::string summary = unsaved_summary();
        if (commit_failures_ == 1 || commit_failures_ % 20 == 0) {
            log(LogLevel::error, "post {} {}: cannot record progress ({}){}; retrying, nothing more of "
                "this target is sent meanwhile", target_.post_id, target_.account, what_of(error),
                summary.empty() ? "" : "; " + summary);
        }
        const auto delay = std::min(max_commit_retry, first_commit_retry * (1 << std::min(commit_failures_ - 1, 10)));
        commit_timer_ = std::make_shared<OneShotTimer>(service_.loop_, delay, [self = shared_from_this()] {
            std::shared_ptr<OneShotTimer> fired = std::move(self->commit_timer_);
            self->service_.loop_.defer([fired] {});
            self->try_commit();
        });
    }

    /// Stopping: one more try of the unsaved step, without starting the next part.
    void final_commit() {
        final_commit_ = true;
        if (unsaved_->sending_part_id) {
            // The next part's request never left: it stays `prepared` (or as it was).
            unsaved_->sending_part_id.reset();
            unsaved_->parent.reset();
            unsaved_->root.reset();
            unsaved_then_ = [self = shared_from_this()] { self->finish(); };
            if (!unsaved_->published) {
                unsaved_.reset();
                return std::exchange(unsaved_then_, nullptr)();
            }
        }
        try_commit();
    }

    /// The last try failed at a stop: say loudly what the platform confirmed, so it can be
    /// resolved by hand (the part stays `sending` on disk and is checked at the next start).
    void give_up(const std::string& what) {
        const std::string summary = unsaved_summary();
        log(LogLevel::error, "post {} {}: STOPPING WITHOUT RECORDING PROGRESS ({}){}{}", target_.post_id,
            target_.account, what, summary.empty() ? "" : ": ", summary);
        unsaved_.reset();
        unsaved_then_ = nullptr;
        finish();
    }

    void fail(const publish::Failure& failure) {
        // A published part waiting for this step goes to disk first.
        if (pending_) {
            return commit_pending_then([self = shared_from_this(), failure] { self->fail(failure); });
        }
        try {
            if (failure.cls == publish::FailureClass::needs_login && may_refresh_after_refusal()) {
                // The platform refused a token growth thought valid (revoked early, clocks apart):
                // one forced refresh, then this part again; a refusal means nothing was applied.
                publish::Failure again = failure;
                again.cls = publish::FailureClass::retry_safe;
                again.retry_at = service_.now();
                again.message += "; refreshing the token and trying again";
                return fail(again);
            }
            auto& part = target_.parts[index_];
            PartState state = pipeline::state_after(failure.cls);
            const auto t = millis(service_.now());
            std::optional<pipeline::Millis> next_at;
            publish::Failure recorded = failure;
            const std::string too_long = state == PartState::retry_wait ? pipeline::wait_refusal(failure, t) : "";
            if (state == PartState::retry_wait && part.attempts >= pipeline::max_attempts) {
                // Bounded: the scheduler would otherwise try a broken target forever.
                state = PartState::failed;
                recorded.message += fmt::format(" (gave up after {} attempts; growthctl retry {} tries again)",
                                                part.attempts, target_.post_id);
            } else if (!too_long.empty()) {
                state = PartState::failed;
                recorded.message += fmt::format(" ({}; growthctl retry {} tries again)", too_long, target_.post_id);
            } else if (state == PartState::retry_wait) {
                next_at = pipeline::next_attempt_at(failure, part.attempts, t, service_.random_);
            }
            pipeline::mark_failed(service_.store_, part.id, state, recorded, next_at, t);
            part.state = state;
            part.last_error_kind = failure.code;
            part.last_error = recorded.message;
            part.verify_on_retry = pipeline::check_after_failure(part.verify_on_retry, failure);
            part.next_attempt_at = next_at;
            log(LogLevel::info, "post {} {} part {}: {} ({})", target_.post_id, target_.account,
                part.index, to_string(state), failure.message);
            if (next_at && *next_at - t <= short_retry_ms && short_retries_ < max_short_retries &&
                !service_.draining_) {
                ++short_retries_;
                timer_ = std::make_shared<OneShotTimer>(
                    service_.loop_, std::chrono::milliseconds(*next_at - t),
                    [self = shared_from_this()] {
                        // Keep the timer object alive until its own callback has returned.
                        std::shared_ptr<OneShotTimer> fired = std::move(self->timer_);
                        self->service_.loop_.defer([fired] {});
                        self->next();
                    });
                return;
            }
            finish();
        } catch (const std::exception& e) {
            abort(e.what());
        }
    }

    void abort(const char* what) {
        log(LogLevel::error, "post {} {}: publishing stopped: {}", target_.post_id, target_.account, what);
        // What the platform confirmed is still recorded (retried until it is).
        commit_pending_then([self = shared_from_this()] { self->finish(); });
    }

    void finish() {
        machine_.reset();
        const auto id = target_.id;
        const auto post = target_.post_id;
        std::string state = pipeline::target_state(target_, false);
        // Leave the callback stack before the service drops this run.
        service_.loop_.defer([&service = service_, id, post, state = std::move(state)] {
            service.finished(id, post, state);
        });
    }

    PublishService& service_;
    pipeline::TargetRecord target_;
    std::string media_url_;
    accounts::Account account_;
    std::unique_ptr<publish::Account> view_;
    std::unique_ptr<publish::PartPublisher> machine_;
    std::shared_ptr<OneShotTimer> timer_;
    std::shared_ptr<OneShotTimer> commit_timer_;
    std::optional<pipeline::PublishedPart> pending_;  ///< published, committed with the next step
    std::optional<pipeline::ProgressStep> unsaved_;   ///< handed to the group commit, not yet on disk
    std::function<void()> unsaved_then_;              ///< what follows once unsaved_ is on disk
    std::size_t index_ = 0;
    bool marked_sending_ = false;
    bool final_commit_ = false;
    bool cancel_ = false;
    bool budget_checked_ = false;
    bool token_checked_ = false;
    bool force_refresh_ = false;      ///< the next token check refreshes whatever the expiry says
    bool refusal_refreshed_ = false;  ///< this run met a refused token with a refresh already
    int short_retries_ = 0;
    int commit_failures_ = 0;
    int reserved_ = 0;
};

PublishService::PublishService(EventLoop& loop, Store& store, secrets::SecretStore& secrets,
                               http::Transport& transport, Clock clock)
    : loop_(loop),
      store_(store),
      secrets_(secrets),
      transport_(transport),
      clock_(clock ? std::move(clock) : Clock(system_now)),
      random_(std::random_device{}()) {}

PublishService::~PublishService() = default;

void PublishService::start_target(std::int64_t target_id) {
    if (runs_.count(target_id) != 0) return;
    pipeline::TargetRecord target = pipeline::load_target(store_, target_id);
    const rpc::Json options = pipeline::load_post(store_, target.post_id).options;
    start_target(std::move(target), options.value("media_url", std::string()));
}

void PublishService::start_target(pipeline::TargetRecord target, const std::string& media_url) {
    const std::int64_t target_id = target.id;
    if (runs_.count(target_id) != 0 || waiting_ids_.count(target_id) != 0 || draining_) return;
    // A part waiting for its time, or cancelled, never goes out from here.
    if (!pipeline::startable(target)) return;
    if (target.account_id) {
        const auto queue = waiting_.find(*target.account_id);
        const bool single = target.parts.size() == 1;
        if ((queue != waiting_.end() && !queue->second.empty()) || !may_join(*target.account_id, single)) {
            // Its turn comes when the account's running targets let it; it is read again then.
            waiting_[*target.account_id].push_back({target_id, target.post_id, media_url, single});
            waiting_ids_.insert(target_id);
            return;
        }
    }
    launch(std::move(target), media_url);
}

bool PublishService::may_join(std::int64_t account_id, bool single) const {
    const auto running = account_runs_.find(account_id);
    if (running == account_runs_.end() || running->second.empty()) return true;
    if (!single || running->second.size() >= parallel_per_account_) return false;
    return std::all_of(running->second.begin(), running->second.end(), [this](std::int64_t id) {
        const auto run = runs_.find(id);
        return run == runs_.end() || run->second->single();
    });
}

int PublishService::reserved_parts(std::int64_t account_id) const noexcept {
    const auto running = account_runs_.find(account_id);
    if (running == account_runs_.end()) return 0;
    int n = 0;
    for (const std::int64_t id : running->second) {
        if (const auto run = runs_.find(id); run != runs_.end()) n += run->second->reserved();
    }
    return n;
}

void PublishService::launch(pipeline::TargetRecord target, const std::string& media_url) {
    const std::int64_t target_id = target.id;
    if (target.account_id) account_runs_[*target.account_id].insert(target_id);
    auto run = std::make_shared<TargetRun>(*this, std::move(target), media_url);
    runs_.emplace(target_id, run);
    // Start from the loop, not from inside the caller's handler.
    loop_.defer([run] { run->next(); });
}

void PublishService::drain(std::function<void()> idle) {
    draining_ = true;
    on_idle_ = std::move(idle);
    // Waiting targets stay `prepared` for recover() at the next start; their callers get the post
    // as it is once nothing of it runs.
    std::set<std::string> waiting_posts;
    for (const auto& [account, queue] : waiting_) {
        for (const auto& w : queue) waiting_posts.insert(w.post_id);
    }
    waiting_.clear();
    waiting_ids_.clear();
    for (const auto& post_id : waiting_posts) answer_waiters(post_id);
    if (recover_timer_) {
        recover_timer_.reset();
        log(LogLevel::warning, "stopping before every interrupted target could be resumed; the next start tries again");
    }
    for (const auto& [id, run] : runs_) run->drain_now();
    if (runs_.empty()) loop_.defer([this] {
        if (on_idle_) std::exchange(on_idle_, nullptr)();
    });
}

void PublishService::finished(std::int64_t target_id, const std::string& post_id,
                              const std::string& target_state) {
    (void)target_state;
    const auto ran = runs_.find(target_id);
    const std::optional<std::int64_t> account = ran == runs_.end() ? std::nullopt : ran->second->account_id();
    if (on_event_ && ran != runs_.end()) {
        on_event_({{"type", "target"}, {"post", post_id}, {"account", ran->second->account_name()},
                   {"platform", std::string(platform_name(ran->second->platform()))}, {"state", target_state}});
    }
    runs_.erase(target_id);
    if (account) {
        if (const auto running = account_runs_.find(*account); running != account_runs_.end()) {
            running->second.erase(target_id);
            if (running->second.empty()) account_runs_.erase(running);
        }
        start_waiting(*account);
    }
    if (runs_.empty() && on_idle_) {
        loop_.defer([this] {
            if (!on_idle_ || !runs_.empty()) return;
            settle_all();  // the states of posts settled just now are written before the stop
            std::exchange(on_idle_, nullptr)();
        });
    }
    // Other targets of this post still going: the states are written when the last one settles
    // (a target's state is derived from its parts, which are already on disk).
    if (busy(post_id)) return;
    // The post has settled: one read gives every state and every waiting call's answer; the
    // states of the posts settled in this loop round are written together (settle_all).
    auto [first, last] = waiters_.equal_range(post_id);
    Settled settled;
    for (auto it = first; it != last; ++it) settled.ready.push_back(it->second);
    waiters_.erase(first, last);
    try {
        const pipeline::PostRecord post = pipeline::load_post(store_, post_id);
        settled.view = pipeline::post_json(post, running_ids());
        settled.states = pipeline::summary_states(post, settled.view);
    } catch (...) {
        log(LogLevel::error, "post {}: cannot record its state", post_id);
        for (const auto& r : settled.ready) r.error(std::current_exception());
        return;
    }
    if (settled_.empty()) loop_.defer([this] { settle_all(); });
    settled_.push_back(std::move(settled));
}

void PublishService::settle_all() {
    auto settled = std::move(settled_);
    settled_.clear();
    std::vector<pipeline::PostStates> states;
    for (const auto& s : settled) states.push_back(s.states);
    std::exception_ptr error;
    try {
        pipeline::set_post_states(store_, states, millis(now()));
    } catch (...) {
        error = std::current_exception();
        log(LogLevel::error, "cannot record the state of {} settled post(s) ({})", settled.size(), what_of(error));
    }
    for (const auto& s : settled) {
        if (!error && on_event_) {
            on_event_({{"type", "post"}, {"post", s.states.post_id}, {"state", std::string(pipeline::list_state(s.states.state))},
                       {"due", s.view.value("due", rpc::Json())}});
        }
        for (const auto& r : s.ready) error ? r.error(error) : r.result(s.view);
    }
    // A part may now wait for a retry time: the scheduler arms for it (after the states are
    // written, so a target it starts again is not summed up as settled afterwards).
    if (!settled.empty() && on_settled_) on_settled_();
}

void PublishService::commit_then(pipeline::ProgressStep step,
                                 std::function<void(std::exception_ptr)> then) {
    if (batch_.empty()) loop_.defer([this] { flush_commits(); });
    batch_.push_back(std::move(step));
    batch_then_.push_back(std::move(then));
}

void PublishService::flush_commits() {
    auto steps = std::move(batch_);
    auto thens = std::move(batch_then_);
    batch_.clear();
    batch_then_.clear();
    std::exception_ptr error;
    try {
        pipeline::commit_progress_batch(store_, steps, millis(now()));
    } catch (...) {
        error = std::current_exception();
    }
    for (auto& then : thens) then(error);
}

std::set<std::int64_t> PublishService::running_ids() const {
    std::set<std::int64_t> ids;
    for (const auto& [id, run] : runs_) ids.insert(id);
    return ids;
}

std::set<std::int64_t> PublishService::busy_ids() const {
    std::set<std::int64_t> ids = running_ids();
    ids.insert(waiting_ids_.begin(), waiting_ids_.end());
    return ids;
}

int PublishService::stop_after_current(const std::string& post_id) {
    int asked = 0;
    for (const auto& [id, run] : runs_) {
        if (run->post_id() != post_id) continue;
        run->cancel();
        ++asked;
    }
    return asked;
}

bool PublishService::busy(const std::string& post_id) const {
    for (const auto& [id, run] : runs_) {
        if (run->post_id() == post_id) return true;
    }
    for (const auto& [account, queue] : waiting_) {
        for (const auto& w : queue) {
            if (w.post_id == post_id) return true;
        }
    }
    return false;
}

void PublishService::start_waiting(std::int64_t account_id) {
    auto it = waiting_.find(account_id);
    while (it != waiting_.end() && !it->second.empty() && !draining_ && may_join(account_id, it->second.front().single)) {
        const Waiting next = it->second.front();
        it->second.pop_front();
        waiting_ids_.erase(next.target_id);
        try {
            pipeline::TargetRecord target = pipeline::load_target(store_, next.target_id);
            // A part waiting for its time, or cancelled meanwhile, never goes out from here.
            if (pipeline::startable(target)) launch(std::move(target), next.media_url);
        } catch (const std::exception& e) {
            // Its parts stay as they are on disk (prepared: resumed at the next start).
            log(LogLevel::error, "post {}: cannot start its waiting target now ({})", next.post_id, e.what());
        }
        // One that did not start (canceled meanwhile) leaves the account free for the next; its
        // callers get their answer now.
        if (runs_.count(next.target_id) == 0) answer_waiters(next.post_id);
    }
    if (it != waiting_.end() && it->second.empty()) waiting_.erase(it);
}

void PublishService::when_settled(const std::string& post_id, rpc::Responder reply) {
    // A waiter whose client has gone is dropped now, not kept until its post settles.
    std::erase_if(waiters_, [](const auto& waiter) { return waiter.second.abandoned(); });
    waiters_.emplace(post_id, std::move(reply));
    answer_waiters(post_id);
}

void PublishService::answer_waiters(const std::string& post_id) {
    if (busy(post_id)) return;
    auto [first, last] = waiters_.equal_range(post_id);
    if (first == last) return;
    std::vector<rpc::Responder> ready;
    for (auto it = first; it != last; ++it) ready.push_back(it->second);
    waiters_.erase(first, last);
    try {
        const rpc::Json result = show(post_id);
        for (const auto& r : ready) r.result(result);
    } catch (...) {
        for (const auto& r : ready) r.error(std::current_exception());
    }
}

rpc::Json PublishService::show(const std::string& post_id) {
    return pipeline::post_json(pipeline::load_post(store_, post_id), running_ids());
}

rpc::Json PublishService::announce(const std::string& post_id) {
    return announce(pipeline::load_post(store_, post_id));
}

rpc::Json PublishService::announce(const pipeline::PostRecord& post) {
    rpc::Json view = pipeline::post_json(post, running_ids());
    if (on_event_) on_event_({{"type", "post"}, {"post", post.id}, {"state", std::string(pipeline::list_state(view["state"].get<std::string>()))}, {"due", view.value("due", rpc::Json())}});
    return view;
}

void PublishService::recover() {
    if (draining_) return;
    if (recover_pass()) {
        recover_failures_ = 0;
        return;
    }
    ++recover_failures_;
    const auto delay = std::min(std::chrono::milliseconds(60'000),
                                std::chrono::milliseconds(1'000) * (1 << std::min(recover_failures_ - 1, 6)));
    recover_timer_ = std::make_unique<OneShotTimer>(loop_, delay, [this] {
        // The timer is dropped after its callback has returned.
        loop_.defer([fired = std::shared_ptr<OneShotTimer>(std::move(recover_timer_))] {});
        recover();
    });
}

std::size_t PublishService::continue_waiting_for(std::string_view kind) {
    std::vector<std::int64_t> ids;
    try {
        ids = pipeline::targets_waiting_for(store_, kind);
    } catch (const Error& e) {
        log(LogLevel::error, "cannot look for posts waiting for {} ({})", kind, e.what());
        return 0;
    }
    std::size_t started = 0;
    for (const std::int64_t id : ids) {
        try {
            start_target(id);
            ++started;
        } catch (const Error& e) {
            log(LogLevel::error, "cannot continue target {} ({}); growthctl retry continues its post", id, e.what());
        }
    }
    if (started > 0) log(LogLevel::info, "continuing {} target(s) that waited for {}", started, kind);
    return started;
}

bool PublishService::recover_pass() {
    std::vector<std::int64_t> ids;
    try {
        ids = pipeline::interrupted_targets(store_);
    } catch (const Error& e) {
        log(LogLevel::error, "cannot look for interrupted posts ({}); trying again", e.what());
        return false;
    }
    bool done = true;
    std::set<std::string> missed_posts;
    for (const std::int64_t id : ids) {
        if (runs_.count(id) != 0) continue;
        try {
            pipeline::TargetRecord target = pipeline::load_target(store_, id);
            const auto i = pipeline::first_unpublished(target);
            if (!i) continue;
            const PartState s = target.parts[*i].state;
            // Only a thread that was going out when growthd stopped; a part waiting for a retry or a
            // decision stays as it is.
            if (s != PartState::prepared && s != PartState::sending) continue;
            const pipeline::PostRecord post = pipeline::load_post(store_, target.post_id);
            const auto t = millis(now());
            if (s == PartState::prepared &&
                pipeline::missed_window(pipeline::due_of(post), t, pipeline::catch_up_of(post))) {
                // Not started in time: a post interrupted long ago does not go out by itself.
                const int n = pipeline::mark_missed(store_, id, pipeline::missed_message(post), t);
                log(LogLevel::warning, "post {} {}: {} part(s) missed (due {} min ago); "
                    "growthctl retry {} publishes them", target.post_id, target.account, n,
                    (t - pipeline::due_of(post)) / 60'000, target.post_id);
                missed_posts.insert(target.post_id);
                continue;
            }
            log(LogLevel::info, "post {} {}: resuming at part {} (found {})", target.post_id,
                target.account, target.parts[*i].index, to_string(s));
            start_target(std::move(target), post.options.value("media_url", std::string()));
        } catch (const Error& e) {
            log(LogLevel::error, "cannot resume target {} now ({}); trying again", id, e.what());
            done = false;
        }
    }
    for (const auto& post_id : missed_posts) {
        try {
            if (busy(post_id)) continue;  // its state is written when its last target settles
            const pipeline::PostRecord post = pipeline::load_post(store_, post_id);
            pipeline::set_post_states(store_, {pipeline::summary_states(post, pipeline::post_json(post, {}))}, millis(now()));
        } catch (const Error& e) {
            // The parts are marked; the summary is derived from them when shown.
            log(LogLevel::error, "post {}: cannot record its state ({})", post_id, e.what());
        }
    }
    return done;
}

}  // namespace growth::daemon
