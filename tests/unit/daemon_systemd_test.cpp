// sd_notify and LISTEN_FDS handling, implemented without libsystemd.
#include <doctest/doctest.h>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <string>

#include "daemon/systemd.hpp"
#include "daemon/unique_fd.hpp"

using growth::daemon::UniqueFd;
namespace systemd = growth::daemon::systemd;

namespace {

/// A datagram socket bound at `name` (a path, or "@abstract").
UniqueFd bind_datagram(const std::string& name) {
    UniqueFd fd(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::memcpy(addr.sun_path, name.data(), name.size());
    if (name[0] == '@') addr.sun_path[0] = '\0';
    const auto len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name.size());
    REQUIRE(::bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), len) == 0);
    return fd;
}

std::string receive(const UniqueFd& fd) {
    char buffer[512];
    const ssize_t n = ::recv(fd.get(), buffer, sizeof buffer, 0);
    return n > 0 ? std::string(buffer, static_cast<std::size_t>(n)) : std::string("<nothing>");
}

}  // namespace

TEST_CASE("notify sends the state as one datagram to a path NOTIFY_SOCKET") {
    const std::string path = "/tmp/growth-notify-test-" + std::to_string(::getpid());
    ::unlink(path.c_str());
    UniqueFd fd = bind_datagram(path);
    ::setenv("NOTIFY_SOCKET", path.c_str(), 1);
    CHECK(systemd::notify("READY=1\nSTATUS=Serving"));
    CHECK(receive(fd) == "READY=1\nSTATUS=Serving");
    ::unsetenv("NOTIFY_SOCKET");
    ::unlink(path.c_str());
}

TEST_CASE("notify reaches an abstract NOTIFY_SOCKET (@name)") {
    const std::string name = "@growth-notify-test-" + std::to_string(::getpid());
    UniqueFd fd = bind_datagram(name);
    ::setenv("NOTIFY_SOCKET", name.c_str(), 1);
    CHECK(systemd::notify("STOPPING=1"));
    CHECK(receive(fd) == "STOPPING=1");
    ::unsetenv("NOTIFY_SOCKET");
}

TEST_CASE("notify without NOTIFY_SOCKET does nothing and says so") {
    ::unsetenv("NOTIFY_SOCKET");
    CHECK_FALSE(systemd::notify("READY=1"));
}

TEST_CASE("reloading message carries MONOTONIC_USEC as Type=notify-reload requires") {
    const std::string m = systemd::reloading_message();
    CHECK(m.rfind("RELOADING=1\nMONOTONIC_USEC=", 0) == 0);
    CHECK(m.size() > std::string("RELOADING=1\nMONOTONIC_USEC=").size());
}

TEST_CASE("LISTEN_FDS meant for another pid is ignored and the variables are cleared") {
    ::setenv("LISTEN_PID", std::to_string(::getpid() + 1).c_str(), 1);
    ::setenv("LISTEN_FDS", "1", 1);
    CHECK(systemd::take_listen_fds().empty());
    CHECK(std::getenv("LISTEN_PID") == nullptr);
    CHECK(std::getenv("LISTEN_FDS") == nullptr);
}

TEST_CASE("LISTEN_FDS for this pid yields descriptors from 3 on") {
    // Put a real socket at fd 3 for the duration of the test, restoring what was there.
    const int saved = ::dup(3);
    int pair[2];
    REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, pair) == 0);
    REQUIRE(::dup2(pair[0], 3) == 3);
    ::setenv("LISTEN_PID", std::to_string(::getpid()).c_str(), 1);
    ::setenv("LISTEN_FDS", "1", 1);
    CHECK(systemd::take_listen_fds() == std::vector<int>{3});
    CHECK(std::getenv("LISTEN_FDS") == nullptr);
    if (saved >= 0) {
        ::dup2(saved, 3);
        ::close(saved);
    } else {
        ::close(3);
    }
    ::close(pair[0]);
    ::close(pair[1]);
}
