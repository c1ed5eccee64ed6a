#pragma once
// http::Transport over libcurl multi, driven by the daemon's epoll loop through
// curl_multi_socket_action: curl's sockets are registered with the loop and its timer is a
// monotonic timerfd, so nothing polls and an idle transport makes no wake-ups.

#include <curl/curl.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "core/http/transport.hpp"
#include "daemon/event_loop.hpp"
#include "daemon/unique_fd.hpp"

namespace growth::daemon {

/// Limits for every request. Past a size or depth bound the transfer is aborted and reported
/// as NoResponse{answer_refused}; past total_timeout (a stall, or a peer dripping bytes) as
/// NoResponse{lost}.
struct HttpOptions {
    std::chrono::milliseconds connect_timeout{10'000};
    std::chrono::milliseconds total_timeout{30'000};  ///< the whole exchange, stalls included
    std::string user_agent;                           ///< e.g. "growth/0.1.0"
    std::size_t max_response_bytes = 8 * 1024 * 1024;  ///< body bytes (limits.max_response_bytes)
    int max_json_depth = 64;                           ///< body nesting (limits.max_json_depth)
    std::size_t max_header_bytes = 64 * 1024;          ///< every header line of the answer
};

/// Sends requests on `loop` with connection reuse (curl's multi connection cache). Redirects are
/// not followed (the publishers never expect one). Loop thread only.
class CurlTransport final : public http::Transport {
public:
    /// Throws std::runtime_error when curl cannot be initialised, std::system_error for the timer.
    CurlTransport(EventLoop& loop, HttpOptions options);
    /// Aborts transfers still running; their callbacks are dropped, never called. Throws nothing.
    ~CurlTransport() override;
    CurlTransport(const CurlTransport&) = delete;
    CurlTransport& operator=(const CurlTransport&) = delete;

    void send(http::HttpRequest request, Callback done) override;

    /// Sets the body bounds for the transfers started after the call (a config reload).
    /// Throws nothing.
    void set_response_limits(std::size_t max_response_bytes, int max_json_depth) noexcept {
        options_.max_response_bytes = max_response_bytes;
        options_.max_json_depth = max_json_depth;
    }

    /// Transfers in flight (for status and shutdown). Throws nothing.
    std::size_t in_flight() const noexcept { return transfers_.size(); }

private:
    struct Transfer;
    static int on_socket(CURL* easy, curl_socket_t fd, int what, void* self, void* socket_data);
    static int on_timer(CURLM* multi, long timeout_ms, void* self);
    void socket_event(curl_socket_t fd, std::uint32_t events);
    void timer_fired();
    void drive(curl_socket_t fd, int ev_bitmask);
    void collect_done();
    void arm_timer(long timeout_ms);

    EventLoop& loop_;
    HttpOptions options_;
    CURLM* multi_ = nullptr;
    UniqueFd timer_fd_;
    std::map<CURL*, std::unique_ptr<Transfer>> transfers_;
    std::map<curl_socket_t, std::uint32_t> watched_;  ///< fd -> epoll events registered
};

}  // namespace growth::daemon
