#pragma once
// The RPC server: accepts connections on the listening socket, checks each peer's uid, enforces
// the connection limit, greets, and owns the Connection objects.

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "core/rpc/dispatcher.hpp"
#include "daemon/connection.hpp"
#include "daemon/event_loop.hpp"
#include "daemon/listener.hpp"

namespace growth::daemon {

struct ServerOptions {
    uid_t allowed_uid = 0;           ///< the only peer uid served (SO_PEERCRED)
    std::size_t max_connections = 64;
    std::string daemon_version;      ///< announced in growth.hello
    ConnectionLimits limits;
};

/// Serves JSON-RPC over Unix stream sockets. Loop thread only.
class Server {
public:
    /// Throws nothing.
    Server(EventLoop& loop, const rpc::Dispatcher& dispatcher, ServerOptions options);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    /// Starts accepting on `listener`. Throws std::system_error.
    void listen(Listener listener);
    /// Stops accepting and closes the listening socket (the file is removed if we created it).
    /// Throws nothing.
    void stop_listening() noexcept;
    /// The listener, if listening.
    const Listener* listener() const noexcept { return listener_ ? &*listener_ : nullptr; }

    /// Serves an already connected socket, as if just accepted: uid check, limit, greeting.
    /// Tests hand one end of a socketpair() here. Returns false when the peer was refused.
    /// Throws std::system_error.
    bool adopt(UniqueFd fd);

    /// Changes the connection limit; existing connections are kept. Throws nothing.
    void set_max_connections(std::size_t limit) noexcept { options_.max_connections = limit; }

    /// Changes the answers each connection may be owed, for open connections too (what is owed
    /// already stays owed). Throws nothing.
    void set_max_owed(std::size_t limit) noexcept;

    /// Deferred answers owed now, over every open connection. Throws nothing.
    std::size_t owed() const noexcept;

    /// Deferred calls refused with too_many_requests since the server started. Throws nothing.
    std::uint64_t refused() const noexcept;

    /// Open connections (closed ones awaiting teardown are not counted). Throws nothing.
    std::size_t connections() const noexcept;

    /// Pushes one wire line (a notification) to connection `id`, e.g. from a handler that kept
    /// CallContext::connection_id. Returns false when that connection is gone. Throws bad_alloc.
    bool push(std::uint64_t id, const std::string& line);

    /// One non-blocking attempt to send every connection's buffered replies (at shutdown).
    void flush_all() noexcept;

private:
    void on_accept();
    void on_closed(std::uint64_t id);

    EventLoop& loop_;
    const rpc::Dispatcher& dispatcher_;
    ServerOptions options_;
    std::optional<Listener> listener_;
    UniqueFd spare_fd_;  ///< released when out of descriptors, to accept and close the excess
    std::map<std::uint64_t, std::unique_ptr<Connection>> connections_;
    std::uint64_t next_id_ = 1;
    std::uint64_t refused_closed_ = 0;  ///< refusals counted by connections already destroyed
};

}  // namespace growth::daemon
