#pragma once
// One daemon per data directory: an exclusive flock on <data-dir>/growthd.lock held for life.

#include <filesystem>

#include "daemon/unique_fd.hpp"

namespace growth::daemon {

/// Holds the lock until destroyed (or the process dies: the kernel drops flocks with the fd).
class DataLock {
public:
    /// Takes the lock without waiting and writes our pid into the file. Throws
    /// Error("already_running", "another growthd (pid N) is using data directory D") when another
    /// process holds it, Error("data_dir_error", ...) when the file cannot be opened.
    explicit DataLock(const std::filesystem::path& data_dir);

    /// Rewrites the pid (after daemonizing forked a new process). Throws nothing.
    void write_pid() noexcept;

private:
    UniqueFd fd_;
};

}  // namespace growth::daemon
