#include "daemon/listener.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstring>
#include <string>

#include "core/error.hpp"

namespace growth::daemon {

namespace {

[[noreturn]] void fail(const std::string& what, const std::filesystem::path& path) {
    throw Error("socket_error", fmt::format("{} {}: {}", what, path.string(), std::strerror(errno)));
}

sockaddr_un address_of(const std::filesystem::path& path) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    const std::string text = path.string();
    if (text.size() >= sizeof addr.sun_path) {
        throw Error("socket_error", fmt::format("socket path {} is too long ({} bytes, at most {})",
                                                text, text.size(), sizeof addr.sun_path - 1));
    }
    std::memcpy(addr.sun_path, text.data(), text.size());
    return addr;
}

/// True when something accepts connections on `path`.
bool someone_listens(const sockaddr_un& addr) {
    UniqueFd probe(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!probe) return false;
    return ::connect(probe.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0;
}

}  // namespace

Listener Listener::bind(const std::filesystem::path& path) {
    const sockaddr_un addr = address_of(path);
    Listener l;
    l.path_ = path;
    struct stat st {};
    if (::lstat(path.c_str(), &st) == 0) {
        if (!S_ISSOCK(st.st_mode)) {
            throw Error("socket_error",
                        fmt::format("{} exists and is not a socket; remove it", path.string()));
        }
        if (someone_listens(addr)) {
            throw Error("socket_in_use",
                        fmt::format("another growthd is already listening on {}", path.string()));
        }
        ::unlink(path.c_str());  // stale: left by a daemon that died
    }
    l.fd_.reset(::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (!l.fd_) fail("cannot create socket for", path);
    // The umask makes the file 0600 from the moment it exists; chmod below is belt and braces.
    const mode_t old_umask = ::umask(0177);
    const int bound = ::bind(l.fd_.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr);
    ::umask(old_umask);
    if (bound != 0) fail("cannot bind", path);
    l.owns_file_ = true;
    if (::chmod(path.c_str(), 0600) != 0) fail("cannot chmod", path);
    if (::lstat(path.c_str(), &st) == 0) {
        l.dev_ = st.st_dev;
        l.ino_ = st.st_ino;
    }
    if (::listen(l.fd_.get(), SOMAXCONN) != 0) fail("cannot listen on", path);
    return l;
}

Listener Listener::adopt(int fd) {
    Listener l;
    l.fd_.reset(fd);
    int type = 0, accepting = 0;
    socklen_t len = sizeof type;
    sockaddr_un addr{};
    socklen_t addr_len = sizeof addr;
    if (::getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) != 0 || type != SOCK_STREAM ||
        (len = sizeof accepting, ::getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &accepting, &len)) != 0 ||
        !accepting || ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &addr_len) != 0 ||
        addr.sun_family != AF_UNIX) {
        throw Error("socket_error",
                    fmt::format("inherited fd {} is not a listening Unix stream socket", fd));
    }
    if (addr_len > offsetof(sockaddr_un, sun_path) && addr.sun_path[0] != '\0') {
        l.path_ = std::string(addr.sun_path, ::strnlen(addr.sun_path, sizeof addr.sun_path));
    }
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags < 0 || ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0) {
        throw Error("socket_error", fmt::format("cannot make inherited fd {} non-blocking", fd));
    }
    return l;
}

Listener::~Listener() {
    if (!owns_file_ || !fd_) return;
    // Unlink only our own file: a newer daemon may have replaced it.
    struct stat st {};
    if (::lstat(path_.c_str(), &st) == 0 && st.st_dev == dev_ && st.st_ino == ino_) {
        ::unlink(path_.c_str());
    }
}

}  // namespace growth::daemon
