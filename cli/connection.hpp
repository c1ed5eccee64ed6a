#pragma once
// growthctl's side of the socket: connect, check the greeting, make calls.

#include <filesystem>
#include <string>

#include "core/rpc/json.hpp"
#include "core/rpc/line_framer.hpp"

namespace growth::cli {

/// Why a connection attempt failed, so the caller can decide to start the daemon.
enum class ConnectResult { connected, absent, refused };

/// One connection to growthd. Blocking I/O; one call at a time.
class DaemonConnection {
public:
    /// Does not connect yet. `trace` prints every line sent and received to stderr (-v).
    explicit DaemonConnection(std::filesystem::path socket, bool trace = false);
    ~DaemonConnection();
    DaemonConnection(const DaemonConnection&) = delete;
    DaemonConnection& operator=(const DaemonConnection&) = delete;

    /// Tries to connect: `absent` when no socket file exists, `refused` when nobody listens on it
    /// (a stale file). Throws Failure(unreachable) for other errors (permission, path too long).
    ConnectResult try_connect();

    /// Reads the growth.hello greeting and checks the protocol major. Throws
    /// Failure(unreachable, "protocol_mismatch") for another major, Failure(unreachable,
    /// "daemon_unreachable") when the daemon closes or greets wrongly (e.g. too many connections).
    void handshake();

    /// The daemon version and protocol from the greeting.
    const std::string& daemon_version() const noexcept { return daemon_version_; }
    const std::string& daemon_protocol() const noexcept { return daemon_protocol_; }

    /// Calls `method` with named `params` (an object, or null for none) and returns the result.
    /// Throws Failure carrying the daemon's message and error.data.kind (exit code per kind), or
    /// Failure(unreachable) when the connection breaks.
    rpc::Json call(const std::string& method, const rpc::Json& params = nullptr);

    /// Blocks for the next notification the daemon sends (e.g. after events.watch) and returns
    /// it whole. Throws Failure(unreachable) when the connection breaks.
    rpc::Json next_notification();

    const std::filesystem::path& socket() const noexcept { return socket_; }

private:
    void send_line(const std::string& line);
    rpc::Json read_message();

    std::filesystem::path socket_;
    bool trace_;
    int fd_ = -1;
    rpc::LineFramer framer_;
    std::string daemon_version_;
    std::string daemon_protocol_;
    long long next_id_ = 1;
};

}  // namespace growth::cli
