#pragma once
// At most N HTTP transfers per account at once ([limits] max_transfers_per_account): an
// http::Transport decorator that queues an account's requests beyond N and starts them, oldest
// first, as that account's transfers finish. A flood of account.test calls, or many posts on one
// account, then costs queued requests (a few hundred bytes each), not connections and sockets.

#include <chrono>
#include <cstddef>
#include <deque>
#include <map>
#include <memory>
#include <string>

#include "core/http/transport.hpp"
#include "daemon/event_loop.hpp"
#include "daemon/publish_timer.hpp"

namespace growth::daemon {

/// Limits concurrent transfers per HttpRequest::owner.account (an empty account is not limited).
/// Keeps http::Transport's contract: every `done` runs exactly once, from the loop, never inside
/// send(). A queued request that is dropped never left, so it is answered NoResponse{not_sent}:
/// when it waited `max_wait` without a free slot, or when its owner reports it abandoned (checked
/// when it would start, when its queue has doubled, and every second while requests wait).
/// Loop thread only.
class TransferLimiter final : public http::Transport {
public:
    /// `inner` must outlive the limiter. `per_account` 0 is taken as 1. Throws nothing.
    TransferLimiter(EventLoop& loop, http::Transport& inner, std::size_t per_account,
                    std::chrono::milliseconds max_wait);
    /// Queued requests are dropped, their callbacks never called (as CurlTransport drops the
    /// transfers still running when it is destroyed). Throws nothing.
    ~TransferLimiter() override;
    TransferLimiter(const TransferLimiter&) = delete;
    TransferLimiter& operator=(const TransferLimiter&) = delete;

    /// Starts `request` now if its account has a free slot and nothing queued, else queues it.
    /// Throws std::bad_alloc.
    void send(http::HttpRequest request, Callback done) override;

    /// Changes the per-account limit (a reload); a higher one starts queued requests.
    /// Throws std::bad_alloc.
    void set_per_account(std::size_t per_account);

    /// Transfers started and not finished. Throws nothing.
    std::size_t running() const noexcept;
    /// Requests waiting for a slot. Throws nothing.
    std::size_t queued() const noexcept;

private:
    struct Waiting {
        http::HttpRequest request;
        Callback done;
        std::chrono::steady_clock::time_point deadline;
    };
    struct Lane {
        std::size_t running = 0;
        std::deque<Waiting> queue;
        std::size_t swept_at = 0;  ///< queue size after the last sweep for abandoned requests
    };

    void start(const std::string& account, Lane& lane, http::HttpRequest request, Callback done);
    void finished(const std::string& account);
    void pump(const std::string& account);
    void sweep(Lane& lane);
    void expire();
    void arm();
    void drop_later(Callback done, std::string detail);

    EventLoop& loop_;
    http::Transport& inner_;
    std::size_t per_account_;
    std::chrono::milliseconds max_wait_;
    std::map<std::string, Lane> lanes_;
    std::unique_ptr<OneShotTimer> timer_;  ///< armed for the oldest queued request's deadline
    std::shared_ptr<TransferLimiter*> self_;  ///< inner callbacks after destruction see null
};

}  // namespace growth::daemon
