#pragma once
// The two small systemd protocols growthd speaks without libsystemd: socket activation
// (LISTEN_FDS/LISTEN_PID, sd_listen_fds(3)) and readiness notification (NOTIFY_SOCKET, sd_notify(3)).
// Both are optional: without the variables these do nothing.

#include <string_view>
#include <vector>

namespace growth::daemon::systemd {

/// The first fd systemd passes (SD_LISTEN_FDS_START).
inline constexpr int listen_fds_start = 3;

/// The descriptors passed by socket activation when LISTEN_PID names this process, each made
/// close-on-exec; empty otherwise. Unsets LISTEN_PID, LISTEN_FDS and LISTEN_FDNAMES so children do
/// not inherit them. Throws nothing.
std::vector<int> take_listen_fds() noexcept;

/// Sends `state` (e.g. "READY=1\nSTATUS=...") to $NOTIFY_SOCKET (a path, or "@name" for the
/// abstract namespace). Returns false when NOTIFY_SOCKET is unset or sending failed; a daemon
/// started by hand has no one to notify, so callers do not treat that as an error. Throws nothing.
bool notify(std::string_view state) noexcept;

/// "RELOADING=1\nMONOTONIC_USEC=<now>" as Type=notify-reload services must send. Throws bad_alloc.
std::string reloading_message();

}  // namespace growth::daemon::systemd
