#pragma once
// The daemon.* methods: status, ping, describe, reload, stop.

#include "core/rpc/json.hpp"
#include "core/rpc/method_table.hpp"

namespace growth::daemon {

/// What the daemon.* handlers need from the daemon. Implemented by Daemon; faked in tests.
class DaemonControl {
public:
    virtual ~DaemonControl() = default;
    /// The daemon.status result. Throws growth::Error (e.g. store_error).
    virtual rpc::Json status() = 0;
    /// Re-reads the config file. Throws Error("config_invalid", ...) and keeps the old config.
    virtual rpc::Json reload() = 0;
    /// Starts a graceful stop after the current round (the reply is still sent). Throws nothing.
    virtual void stop() noexcept = 0;
};

/// Adds daemon.status, daemon.ping, daemon.describe, daemon.reload and daemon.stop to `table`.
/// daemon.describe reports `table` itself, so call this before serving. Throws std::logic_error
/// when a name is already taken.
void add_daemon_methods(rpc::MethodTable& table, DaemonControl& control);

}  // namespace growth::daemon
