#include "daemon/transfer_limiter.hpp"

#include <algorithm>
#include <utility>
#include <vector>

#include <fmt/format.h>

namespace growth::daemon {

namespace {

constexpr std::chrono::milliseconds sweep_every{1000};

bool is_abandoned(const http::HttpRequest& request) {
    return request.owner.abandoned && request.owner.abandoned();
}

}  // namespace

TransferLimiter::TransferLimiter(EventLoop& loop, http::Transport& inner, std::size_t per_account,
                                 std::chrono::milliseconds max_wait)
    : loop_(loop),
      inner_(inner),
      per_account_(std::max<std::size_t>(per_account, 1)),
      max_wait_(max_wait),
      self_(std::make_shared<TransferLimiter*>(this)) {}

TransferLimiter::~TransferLimiter() { *self_ = nullptr; }

void TransferLimiter::send(http::HttpRequest request, Callback done) {
    if (request.owner.account.empty()) {
        inner_.send(std::move(request), std::move(done));
        return;
    }
    const std::string account = request.owner.account;
    Lane& lane = lanes_[account];
    if (lane.running < per_account_ && lane.queue.empty()) {
        start(account, lane, std::move(request), std::move(done));
        return;
    }
    lane.queue.push_back(Waiting{std::move(request), std::move(done),
                                 std::chrono::steady_clock::now() + max_wait_});
    // Amortised: a queue that doubled since it was last swept drops what nobody waits for, so
    // a client that floods and leaves does not grow it without bound.
    if (lane.queue.size() >= 2 * std::max<std::size_t>(lane.swept_at, 16)) sweep(lane);
    if (!timer_) arm();
}

void TransferLimiter::start(const std::string& account, Lane& lane, http::HttpRequest request,
                            Callback done) {
    std::weak_ptr<TransferLimiter*> self = self_;
    inner_.send(std::move(request),
                [self, account, done = std::move(done)](http::Outcome outcome) {
                    done(std::move(outcome));
                    const auto alive = self.lock();
                    if (alive && *alive != nullptr) (*alive)->finished(account);
                });
    // Counted once handed over (the inner transport never calls back inside send()).
    ++lane.running;
}

void TransferLimiter::finished(const std::string& account) {
    const auto it = lanes_.find(account);
    if (it == lanes_.end()) return;
    if (it->second.running > 0) --it->second.running;
    pump(account);
}

void TransferLimiter::pump(const std::string& account) {
    const auto it = lanes_.find(account);
    if (it == lanes_.end()) return;
    Lane& lane = it->second;
    while (lane.running < per_account_ && !lane.queue.empty()) {
        Waiting next = std::move(lane.queue.front());
        lane.queue.pop_front();
        if (is_abandoned(next.request)) {
            drop_later(std::move(next.done), "not sent: nobody waits for the answer any more");
            continue;
        }
        start(account, lane, std::move(next.request), std::move(next.done));
    }
    if (lane.running == 0 && lane.queue.empty()) lanes_.erase(it);
}

void TransferLimiter::sweep(Lane& lane) {
    auto& q = lane.queue;
    for (auto it = q.begin(); it != q.end();) {
        if (is_abandoned(it->request)) {
            drop_later(std::move(it->done), "not sent: nobody waits for the answer any more");
            it = q.erase(it);
        } else {
            ++it;
        }
    }
    lane.swept_at = q.size();
}

void TransferLimiter::drop_later(Callback done, std::string detail) {
    // Never from inside send(), and never while a lane is being walked: the callback may send.
    loop_.defer([done = std::move(done), detail = std::move(detail)] {
        done(http::NoResponse{http::NoResponseKind::not_sent, detail});
    });
}

void TransferLimiter::expire() {
    timer_.reset();
    const auto now = std::chrono::steady_clock::now();
    for (auto it = lanes_.begin(); it != lanes_.end();) {
        Lane& lane = it->second;
        sweep(lane);
        while (!lane.queue.empty() && lane.queue.front().deadline <= now) {
            drop_later(std::move(lane.queue.front().done),
                       fmt::format("not sent: no transfer slot free for account {} within {:g} s "
                                   "({} at once per account)",
                                   it->first, static_cast<double>(max_wait_.count()) / 1000.0, per_account_));
            lane.queue.pop_front();
        }
        if (lane.swept_at > lane.queue.size()) lane.swept_at = lane.queue.size();
        it = lane.running == 0 && lane.queue.empty() ? lanes_.erase(it) : std::next(it);
    }
    arm();
}

void TransferLimiter::arm() {
    timer_.reset();
    bool any = false;
    std::chrono::steady_clock::time_point first{};
    for (const auto& [account, lane] : lanes_) {
        if (lane.queue.empty()) continue;
        // One max_wait for all: the front of each queue is its oldest request.
        if (!any || lane.queue.front().deadline < first) first = lane.queue.front().deadline;
        any = true;
    }
    if (!any) return;
    // At the oldest deadline, and at least every second while requests wait, so the requests
    // of clients that left are let go soon even when no transfer finishes.
    const auto delay = std::chrono::ceil<std::chrono::milliseconds>(first - std::chrono::steady_clock::now());
    timer_ = std::make_unique<OneShotTimer>(loop_, std::clamp(delay, std::chrono::milliseconds(0), sweep_every),
                                            [this] { expire(); });
}

void TransferLimiter::set_per_account(std::size_t per_account) {
    per_account_ = std::max<std::size_t>(per_account, 1);
    std::vector<std::string> accounts;
    for (const auto& [account, lane] : lanes_) accounts.push_back(account);
    for (const auto& account : accounts) pump(account);
}

std::size_t TransferLimiter::running() const noexcept {
    std::size_t n = 0;
    for (const auto& [account, lane] : lanes_) n += lane.running;
    return n;
}

std::size_t TransferLimiter::queued() const noexcept {
    std::size_t n = 0;
    for (const auto& [account, lane] : lanes_) n += lane.queue.size();
    return n;
}

}  // namespace growth::daemon
