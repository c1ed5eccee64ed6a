#include "daemon/systemd.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>

#include "daemon/unique_fd.hpp"

namespace growth::daemon::systemd {

namespace {
bool parse_number(const char* text, long& out) {
    if (text == nullptr || *text == '\0') return false;
    char* end = nullptr;
    errno = 0;
    out = std::strtol(text, &end, 10);
    return errno == 0 && *end == '\0';
}
}  // namespace

std::vector<int> take_listen_fds() noexcept {
    std::vector<int> fds;
    long pid = 0, count = 0;
    const bool ours = parse_number(std::getenv("LISTEN_PID"), pid) && pid == ::getpid() &&
                      parse_number(std::getenv("LISTEN_FDS"), count) && count > 0;
    ::unsetenv("LISTEN_PID");
    ::unsetenv("LISTEN_FDS");
    ::unsetenv("LISTEN_FDNAMES");
    if (!ours) return fds;
    try {
        for (int fd = listen_fds_start; fd < listen_fds_start + count; ++fd) {
            const int flags = ::fcntl(fd, F_GETFD);
            if (flags < 0) continue;
            ::fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
            fds.push_back(fd);
        }
    } catch (...) {
    }
    return fds;
}

bool notify(std::string_view state) noexcept {
    const char* target = std::getenv("NOTIFY_SOCKET");
    if (target == nullptr || (target[0] != '/' && target[0] != '@')) return false;
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    const std::size_t length = std::strlen(target);
    if (length >= sizeof addr.sun_path) return false;
    std::memcpy(addr.sun_path, target, length);
    if (addr.sun_path[0] == '@') addr.sun_path[0] = '\0';  // abstract namespace
    const auto addr_len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + length);
    UniqueFd fd(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    if (!fd) return false;
    const ssize_t sent = ::sendto(fd.get(), state.data(), state.size(), MSG_NOSIGNAL,
                                  reinterpret_cast<const sockaddr*>(&addr), addr_len);
    return sent == static_cast<ssize_t>(state.size());
}

std::string reloading_message() {
    timespec now{};
    ::clock_gettime(CLOCK_MONOTONIC, &now);
    const long long usec = static_cast<long long>(now.tv_sec) * 1000000LL + now.tv_nsec / 1000;
    return "RELOADING=1\nMONOTONIC_USEC=" + std::to_string(usec);
}

}  // namespace growth::daemon::systemd
