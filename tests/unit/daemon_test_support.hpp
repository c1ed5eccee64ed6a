#pragma once
// Helpers for the in-process daemon tests: a socketpair client and a loop pump.

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <optional>
#include <string>

#include "daemon/event_loop.hpp"
#include "daemon/unique_fd.hpp"

namespace growth::test {

/// The client end of a socketpair whose other end the test hands to the server.
struct SocketPairClient {
    daemon::UniqueFd client;
    daemon::UniqueFd server_end;
    std::string inbox;
    bool eof = false;

    SocketPairClient() {
        int fds[2];
        if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds) != 0) throw 1;
        client.reset(fds[0]);
        server_end.reset(fds[1]);
    }

    /// Sends everything (the test's socket buffer is large enough for short requests).
    void send(const std::string& bytes) {
        std::size_t sent = 0;
        while (sent < bytes.size()) {
            const ssize_t n = ::send(client.get(), bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
            if (n <= 0) throw 2;
            sent += static_cast<std::size_t>(n);
        }
    }

    /// Reads what is available without blocking.
    void drain() {
        char buffer[65536];
        for (;;) {
            const ssize_t n = ::recv(client.get(), buffer, sizeof buffer, 0);
            if (n > 0) {
                inbox.append(buffer, static_cast<std::size_t>(n));
                continue;
            }
            if (n == 0) eof = true;
            return;
        }
    }

    /// Pumps `loop` until a full line arrived (returned without '\n'), or nullopt at EOF/timeout.
    std::optional<std::string> next_line(daemon::EventLoop& loop, int rounds = 200) {
        for (int i = 0; i < rounds; ++i) {
            drain();
            const auto newline = inbox.find('\n');
            if (newline != std::string::npos) {
                std::string line = inbox.substr(0, newline);
                inbox.erase(0, newline + 1);
                return line;
            }
            if (eof) return std::nullopt;
            loop.run_once(10);
        }
        return std::nullopt;
    }

    /// Pumps until the server closed its end (true) or rounds run out (false).
    bool closed_by_server(daemon::EventLoop& loop, int rounds = 200) {
        for (int i = 0; i < rounds; ++i) {
            drain();
            if (eof) return true;
            loop.run_once(10);
        }
        return false;
    }
};

}  // namespace growth::test
