#pragma once
// One client connection: reading and framing requests, a bounded queue of pending requests,
// buffered replies, and back-pressure so a flooding client cannot grow the daemon's memory.

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <functional>
#include <memory>
#include <string>

#include "core/rpc/dispatcher.hpp"
#include "core/rpc/line_framer.hpp"
#include "daemon/event_loop.hpp"
#include "daemon/unique_fd.hpp"

namespace growth::daemon {

/// Limits that keep one connection's memory bounded.
struct ConnectionLimits {
    std::size_t max_line = rpc::max_line_bytes;      ///< longer request lines close the connection
    std::size_t max_pending = 64;                    ///< framed requests waiting to be served
    std::size_t output_high_water = 1024 * 1024;     ///< stop serving/reading above this backlog
    std::size_t read_chunk = 64 * 1024;             ///< bytes per read, at most 64 KiB
    /// Answers owed at once (deferred calls not yet answered); a deferred call beyond it is
    /// answered at once with too_many_requests ([limits] max_owed_replies).
    std::size_t max_owed = 256;
};

/// A connected client. Registered on the loop while open. It never destroys itself: when it is
/// done it unregisters and calls `on_closed(id)`; the owner destroys it from a deferred action.
class Connection {
public:
    /// Takes ownership of a connected, non-blocking socket. `greeting` is queued first.
    /// Throws std::system_error when the fd cannot be registered.
    Connection(EventLoop& loop, const rpc::Dispatcher& dispatcher, UniqueFd fd, std::uint64_t id,
               const std::string& greeting, ConnectionLimits limits,
               std::function<void(std::uint64_t)> on_closed);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    std::uint64_t id() const noexcept { return id_; }
    bool closed() const noexcept { return closed_; }
    /// Deferred calls not yet answered. Throws nothing.
    std::size_t owed() const noexcept { return owed_; }
    /// Deferred calls refused with too_many_requests since the connection opened. Throws nothing.
    std::size_t refused() const noexcept { return refused_; }
    /// Changes the limits of this open connection (a reload); what is owed stays owed.
    /// Throws nothing.
    void set_max_owed(std::size_t limit) noexcept { limits_.max_owed = limit; }

    /// Queues `line` (one full wire line with '\n') for the client, then closes once it is sent.
    /// Throws std::bad_alloc.
    void send_and_close(const std::string& line);

    /// Sends a line the client did not ask for right now (a notification of a stream it
    /// subscribed to). A client whose unsent backlog passes 4x output_high_water is not reading
    /// its stream: it is closed. Returns false when the connection is (now) closed.
    /// Throws std::bad_alloc.
    bool push(const std::string& line);

    /// Tries once, without blocking, to send what is buffered (used at shutdown). Throws nothing.
    void flush_now() noexcept;

private:
    class Late;
    friend class Late;
    void deliver_late(std::optional<rpc::Json> response);
    void on_events(std::uint32_t events);
    void read_some();
    void take_lines();
    void serve_pending();
    void flush();
    void update_interest();
    void close() noexcept;

    EventLoop& loop_;
    const rpc::Dispatcher& dispatcher_;
    UniqueFd fd_;
    std::uint64_t id_;
    ConnectionLimits limits_;
    std::function<void(std::uint64_t)> on_closed_;
    rpc::LineFramer framer_;
    std::deque<std::string> pending_;
    std::string output_;
    std::size_t output_sent_ = 0;  ///< bytes at the front of output_ already written
    std::uint32_t interest_ = 0;
    bool peer_done_ = false;  ///< the client shut down its sending side
    bool closing_ = false;    ///< close after output_ is sent
    bool closed_ = false;
    std::size_t owed_ = 0;               ///< deferred responses not yet sent; keep open for them
    std::size_t refused_ = 0;            ///< deferred calls refused: owed_ was at limits_.max_owed
    std::shared_ptr<Late> late_;         ///< handed to deferred handlers via CallContext
};

}  // namespace growth::daemon
