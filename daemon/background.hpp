#pragma once
// Going to the background the classic way, with a readiness pipe: the parent process exits only
// once the daemon is serving (status 0) or has failed to start (its status, message on stderr).
// This is what lets `growthctl` start growthd and know the socket is ready when it returns.

namespace growth::daemon {

/// Forks. Relative paths must have been made absolute before: the child changes to "/".
/// In the parent: waits for readiness and _exits with 0, or with the child's exit status
/// when it fails first; never returns. In the child: starts a new session and returns. Throws
/// std::system_error when fork or pipe fail.
void go_background();

/// Called by the child once it serves: points stdin/stdout/stderr at /dev/null and releases the
/// parent. Does nothing when go_background() was not called. Throws nothing.
void report_ready() noexcept;

}  // namespace growth::daemon
