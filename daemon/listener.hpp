#pragma once
// The daemon's listening Unix socket: bound by growthd itself (0600, stale file replaced) or
// inherited from systemd socket activation.

#include <filesystem>

#include "daemon/unique_fd.hpp"

namespace growth::daemon {

/// A listening SOCK_STREAM AF_UNIX socket, non-blocking and close-on-exec.
class Listener {
public:
    /// Binds `path` with mode 0600 and listens. A leftover socket file nobody answers on is
    /// replaced; one a live daemon answers on is not. The parent directory must exist. Throws
    /// Error("socket_in_use", ...) when another daemon listens there, Error("socket_error", ...)
    /// for any other failure.
    static Listener bind(const std::filesystem::path& path);

    /// Adopts an inherited listening socket (socket activation). Throws Error("socket_error", ...)
    /// when `fd` is not a listening AF_UNIX stream socket.
    static Listener adopt(int fd);

    Listener(Listener&&) noexcept = default;
    Listener& operator=(Listener&&) noexcept = default;
    /// Removes the socket file if this process created it and it is still the same file.
    ~Listener();

    int fd() const noexcept { return fd_.get(); }
    /// The socket's filesystem path (for status); empty for an abstract or unnamed socket.
    const std::filesystem::path& path() const noexcept { return path_; }
    /// True when the socket came from systemd.
    bool activated() const noexcept { return !owns_file_; }

private:
    Listener() = default;

    UniqueFd fd_;
    std::filesystem::path path_;
    bool owns_file_ = false;
    dev_t dev_ = 0;
    ino_t ino_ = 0;
};

}  // namespace growth::daemon
