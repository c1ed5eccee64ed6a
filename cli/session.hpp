#pragma once
// Getting a ready connection for a verb: resolve the socket, connect, start growthd when needed.

#include <filesystem>
#include <memory>

#include "cli/connection.hpp"
#include "cli/global_options.hpp"

namespace growth::cli {

/// --socket, else $GROWTH_SOCKET (CLI11 fills both into global.socket), else the XDG default.
std::filesystem::path resolve_socket(const GlobalOptions& global);

/// A connection that has passed the handshake. Starts growthd when the socket is absent or stale,
/// unless --no-autostart (then Failure(unreachable) with a hint). Throws Failure.
std::unique_ptr<DaemonConnection> connect_daemon(const GlobalOptions& global);

}  // namespace growth::cli
