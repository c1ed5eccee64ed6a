#include "cli/session.hpp"

#include <fmt/format.h>

#include "cli/autostart.hpp"
#include "cli/failure.hpp"
#include "core/paths.hpp"

namespace growth::cli {

std::filesystem::path resolve_socket(const GlobalOptions& global) {
    if (!global.socket.empty()) return global.socket;
    return paths::socket_path();
}

std::unique_ptr<DaemonConnection> connect_daemon(const GlobalOptions& global) {
    const auto socket = resolve_socket(global);
    auto connection = std::make_unique<DaemonConnection>(socket, global.verbose > 0);
    ConnectResult result = connection->try_connect();
    if (result != ConnectResult::connected) {
        if (global.no_autostart) {
            throw Failure(ExitCode::unreachable, "daemon_unreachable",
                          fmt::format("growthd is not running ({} at {})",
                                      result == ConnectResult::absent ? "no socket"
                                                                      : "nobody listens on the socket",
                                      socket.string()),
                          "start it with `growthd` or `systemctl --user start growthd.socket`, or "
                          "run without --no-autostart");
        }
        start_daemon(socket, !global.socket.empty());
        result = connection->try_connect();
        if (result != ConnectResult::connected) {
            throw Failure(ExitCode::unreachable, "daemon_unreachable",
                          fmt::format("growthd started but {} does not accept connections",
                                      socket.string()));
        }
    }
    connection->handshake();
    return connection;
}

}  // namespace growth::cli
