#include "daemon/publish_service.hpp"

#include <chrono>
#include <exception>
#include <utility>
#include <variant>

#include "core/accounts/accounts.hpp"
#include "core/error.hpp"
#include "core/pipeline/post_json.hpp"
#include "core/pipeline/post_store.hpp"
#include "core/pipeline/progress.hpp"
#include "core/publish/publisher.hpp"
#include "daemon/log.hpp"
#include "daemon/publish_timer.hpp"

namespace growth::daemon {

namespace {

publish::Instant now() {
    return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

pipeline::Millis millis(publish::Instant t) { return t.time_since_epoch().count(); }

/// A retry_wait this soon is retried inside the same publish; later ones are left for
/// `growthctl retry` (and the scheduler).
constexpr pipeline::Millis short_retry_ms = 5'000;
constexpr int max_short_retries = 3;

publish::Failure make_failure(publish::FailureClass cls, std::string code, std::string message) {
    publish::Failure f;
    f.cls = cls;
    f.code = std::move(code);
    f.message = std::move(message);
    return f;
}

}  // namespace

/// Publishes one target's remaining parts, one after the other. Kept alive by the service's map
/// and by the transport callback or timer it is waiting for.
class PublishService::TargetRun : public std::enable_shared_from_this<TargetRun> {
public:
    TargetRun(PublishService& service, pipeline::TargetRecord target, std::string media_url)
        : service_(service), target_(std::move(target)), media_url_(std::move(media_url)) {}

    const std::string& post_id() const noexcept { return target_.post_id; }

    /// Starts the first unpublished part, or finishes when there is none.
    void next() {
        try {
            const auto i = pipeline::first_unpublished(target_);
            if (!i || service_.draining_) {
                // Done (or stopping: the rest stays `prepared` for recover() at the next start).
                // The last remote id joins this round's group commit.
                if (!pending_) return finish();
                pipeline::ProgressStep last;
                last.published = std::move(pending_);
                pending_.reset();
                service_.commit_then(std::move(last), [self = shared_from_this()](std::exception_ptr error) {
                    if (error) {
                        try {
                            std::rethrow_exception(error);
                        } catch (const std::exception& e) {
                            return self->abort(e.what());
                        }
                    }
                    self->finish();
                });
                return;
            }
            index_ = *i;
            auto& part = target_.parts[index_];
            if (!target_.account_id) {
                return fail(make_failure(publish::FailureClass::permanent, "account_removed",
                                         "account '" + target_.account + "' was removed"));
            }
            if (!view_) {
                account_ = accounts::get(service_.store_, target_.account);
                try {
                    view_ = std::make_unique<publish::Account>(
                        accounts::publisher_account(account_, service_.secrets_));
                } catch (const Error& e) {
                    if (e.kind() != "needs_auth") throw;
                    return fail(make_failure(publish::FailureClass::needs_login, "needs_auth", e.what()));
                }
            }
            machine_ = publish::make_part_publisher(*view_, pipeline::part_to_send(target_, index_, media_url_));
            marked_sending_ = false;
            (void)part;
            step(machine_->start(now()));
        } catch (const Error& e) {
            // E.g. the vault is locked or unreadable: the part says why (fail() aborts when even
            // that cannot be recorded).
            fail(make_failure(publish::FailureClass::permanent, e.kind(), e.what()));
        } catch (const std::exception& e) {
            abort(e.what());
        }
    }

private:
    void step(publish::PartStep s) {
        try {
            auto& part = target_.parts[index_];
            if (auto* send = std::get_if<publish::Send>(&s)) {
                const auto t = millis(now());
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
                    progress.sending_part_id = part.id;
                    if (index_ > 0) {
                        const auto& prev = target_.parts[index_ - 1];
                        const auto& first = target_.parts[0];
                        progress.parent = publish::PartRef{prev.remote_id, prev.remote_cid, prev.remote_url};
                        progress.root = publish::PartRef{first.remote_id, first.remote_cid, first.remote_url};
                    }
                    pending_.reset();
                    part.state = PartState::sending;
                    ++part.attempts;
                    if (!part.first_attempt_at) part.first_attempt_at = t;
                    marked_sending_ = true;
                    service_.commit_then(std::move(progress),
                                         [self = shared_from_this(), request = std::move(send->request)](
                                             std::exception_ptr error) mutable {
                                             if (error) {
                                                 try {
                                                     std::rethrow_exception(error);
                                                 } catch (const std::exception& e) {
                                                     return self->abort(e.what());
                                                 }
                                             }
                                             self->send_request(std::move(request));
                                         });
                    return;
                }
                send_request(std::move(send->request));
                return;
            }
            if (auto* published = std::get_if<publish::Published>(&s)) {
                // Committed with the next part's `sending` (or alone when nothing follows), before
                // anything else goes on the wire.
                flush_published();
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
            self->step(self->machine_->feed(outcome, now()));
        });
    }

    void flush_published() {
        if (!pending_) return;
        pipeline::commit_progress(service_.store_, &*pending_, std::nullopt, millis(now()));
        pending_.reset();
    }

    void fail(const publish::Failure& failure) {
        try {
            flush_published();
            auto& part = target_.parts[index_];
            const PartState state = pipeline::state_after(failure.cls);
            const auto t = millis(now());
            std::optional<pipeline::Millis> next_at;
            if (state == PartState::retry_wait) {
                next_at = pipeline::next_attempt_at(failure, part.attempts, t, service_.random_);
            }
            pipeline::mark_failed(service_.store_, part.id, state, failure, next_at, t);
            part.state = state;
            part.last_error_kind = failure.code;
            part.last_error = failure.message;
            part.verify_on_retry = failure.verify_on_retry;
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
        try {
            flush_published();
        } catch (const std::exception& e) {
            log(LogLevel::error, "post {} {}: cannot record a published part: {}", target_.post_id,
                target_.account, e.what());
        }
        log(LogLevel::error, "post {} {}: publishing stopped: {}", target_.post_id, target_.account, what);
        finish();
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
    std::optional<pipeline::PublishedPart> pending_;  ///< published, committed with the next step
    std::size_t index_ = 0;
    bool marked_sending_ = false;
    int short_retries_ = 0;
};

PublishService::PublishService(EventLoop& loop, Store& store, secrets::SecretStore& secrets,
                               http::Transport& transport)
    : loop_(loop), store_(store), secrets_(secrets), transport_(transport), random_(std::random_device{}()) {}

PublishService::~PublishService() = default;

void PublishService::start_target(std::int64_t target_id) {
    if (runs_.count(target_id) != 0) return;
    pipeline::TargetRecord target = pipeline::load_target(store_, target_id);
    const rpc::Json options = pipeline::load_post(store_, target.post_id).options;
    start_target(std::move(target), options.value("media_url", std::string()));
}

void PublishService::start_target(pipeline::TargetRecord target, const std::string& media_url) {
    const std::int64_t target_id = target.id;
    if (runs_.count(target_id) != 0 || draining_) return;
    auto run = std::make_shared<TargetRun>(*this, std::move(target), media_url);
    runs_.emplace(target_id, run);
    // Start from the loop, not from inside the caller's handler.
    loop_.defer([run] { run->next(); });
}

void PublishService::drain(std::function<void()> idle) {
    draining_ = true;
    on_idle_ = std::move(idle);
    if (runs_.empty()) loop_.defer([this] {
        if (on_idle_) std::exchange(on_idle_, nullptr)();
    });
}

void PublishService::finished(std::int64_t target_id, const std::string& post_id,
                              const std::string& target_state) {
    runs_.erase(target_id);
    if (runs_.empty() && on_idle_) {
        loop_.defer([this] {
            if (on_idle_ && runs_.empty()) std::exchange(on_idle_, nullptr)();
        });
    }
    // Other targets of this post still going: the states are written when the last one settles
    // (a target's state is derived from its parts, which are already on disk).
    for (const auto& [id, run] : runs_) {
        if (run->post_id() == post_id) return;
    }
    (void)target_state;
    // The post has settled: one read gives every state and every waiting call's answer.
    auto [first, last] = waiters_.equal_range(post_id);
    std::vector<rpc::Responder> ready;
    for (auto it = first; it != last; ++it) ready.push_back(it->second);
    waiters_.erase(first, last);
    try {
        const pipeline::PostRecord post = pipeline::load_post(store_, post_id);
        const rpc::Json view = pipeline::post_json(post, running_ids());
        std::vector<std::pair<std::int64_t, std::string>> states;
        for (std::size_t i = 0; i < post.targets.size(); ++i) {
            states.emplace_back(post.targets[i].id, view["targets"][i]["state"].get<std::string>());
        }
        pipeline::set_post_states(store_, post_id, states, view["state"].get<std::string>(), millis(now()));
        for (const auto& r : ready) r.result(view);
    } catch (...) {
        log(LogLevel::error, "post {}: cannot record its state", post_id);
        for (const auto& r : ready) r.error(std::current_exception());
    }
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

void PublishService::when_settled(const std::string& post_id, rpc::Responder reply) {
    // A waiter whose client has gone is dropped now, not kept until its post settles.
    std::erase_if(waiters_, [](const auto& waiter) { return waiter.second.abandoned(); });
    waiters_.emplace(post_id, std::move(reply));
    answer_waiters(post_id);
}

void PublishService::answer_waiters(const std::string& post_id) {
    for (const auto& [id, run] : runs_) {
        if (run->post_id() == post_id) return;
    }
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

void PublishService::recover() {
    for (const std::int64_t id : pipeline::interrupted_targets(store_)) {
        const pipeline::TargetRecord target = pipeline::load_target(store_, id);
        const auto i = pipeline::first_unpublished(target);
        if (!i) continue;
        const PartState s = target.parts[*i].state;
        // Only a thread that was going out when growthd stopped; a part waiting for a retry or a
        // decision stays as it is.
        if (s != PartState::prepared && s != PartState::sending) continue;
        log(LogLevel::info, "post {} {}: resuming at part {} (found {})", target.post_id,
            target.account, target.parts[*i].index, to_string(s));
        start_target(id);
    }
}

}  // namespace growth::daemon
