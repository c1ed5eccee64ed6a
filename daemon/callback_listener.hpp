#pragma once
// The OAuth loopback listener (RFC 8252 §7.3): an HTTP/1.1 server on 127.0.0.1 that takes the
// browser's redirect to /callback for one login. Every peer is untrusted: a request head is
// bounded, only `GET /callback` reaches the handler, anything else gets 404 / 405, and at most a
// few connections are open at once.

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "daemon/event_loop.hpp"
#include "daemon/unique_fd.hpp"

namespace growth::daemon {

class CallbackListener {
public:
    /// What the browser is shown: an HTTP status and a short plain sentence.
    struct Page {
        int status = 200;
        std::string text;
    };
    /// Receives the query of `GET /callback?QUERY` (without `?`). Must not destroy the listener
    /// itself; defer that (EventLoop::defer).
    using OnCallback = std::function<Page(std::string_view query)>;

    /// Listens on 127.0.0.1:`port` (0: a free port the kernel picks). Throws
    /// growth::Error("login_error") naming the address when it cannot (port in use ...).
    CallbackListener(EventLoop& loop, int port, OnCallback on_callback);
    ~CallbackListener();
    CallbackListener(const CallbackListener&) = delete;
    CallbackListener& operator=(const CallbackListener&) = delete;

    /// The port listened on.
    int port() const noexcept { return port_; }

    /// The largest request head read, and the most connections served at once.
    static constexpr std::size_t max_head_bytes = 16 * 1024;
    static constexpr std::size_t max_connections = 8;

private:
    struct Connection {
        UniqueFd fd;
        std::string head;
    };
    void on_accept();
    void on_readable(int fd);
    void answer(int fd, int status, std::string_view text);
    void close_connection(int fd);

    EventLoop& loop_;
    OnCallback on_callback_;
    UniqueFd fd_;
    int port_ = 0;
    std::map<int, std::unique_ptr<Connection>> connections_;
    std::deque<int> order_;  ///< connection fds, oldest first
};

}  // namespace growth::daemon
