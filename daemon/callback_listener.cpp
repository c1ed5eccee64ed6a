#include "daemon/callback_listener.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "core/error.hpp"

namespace growth::daemon {

namespace {

std::string_view reason(int status) {
    switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 410: return "Gone";
    case 431: return "Request Header Fields Too Large";
    default: return "Error";
    }
}

}  // namespace

CallbackListener::CallbackListener(EventLoop& loop, int port, OnCallback on_callback)
    : loop_(loop), on_callback_(std::move(on_callback)) {
    const std::string where = fmt::format("127.0.0.1:{}", port);
    fd_.reset(::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (fd_.get() < 0) throw Error("login_error", fmt::format("cannot listen on {}: {}", where, std::strerror(errno)));
    const int one = 1;
    ::setsockopt(fd_.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(fd_.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(fd_.get(), 16) != 0) {
        const int e = errno;
        throw Error("login_error",
                    fmt::format("cannot listen on {} for the login callback: {}{}", where, std::strerror(e),
                                e == EADDRINUSE ? " (another login or program uses the port; set another "
                                                  "[platforms.NAME] redirect_port and register its redirect URL)"
                                                : ""));
    }
    socklen_t len = sizeof addr;
    ::getsockname(fd_.get(), reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    loop_.add(fd_.get(), EPOLLIN, [this](std::uint32_t) { on_accept(); });
}

CallbackListener::~CallbackListener() {
    loop_.remove(fd_.get());
    for (auto& [fd, c] : connections_) loop_.remove(fd);
}

void CallbackListener::on_accept() {
    for (;;) {
        UniqueFd c(::accept4(fd_.get(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC));
        if (c.get() < 0) return;  // EAGAIN, or a transient error: the next readiness retries
        // Full: the oldest goes (anyone on the machine can connect here; idle connections must
        // not keep the browser's callback out).
        while (connections_.size() >= max_connections && !order_.empty()) {
            const int oldest = order_.front();
            order_.pop_front();
            close_connection(oldest);
        }
        const int fd = c.get();
        order_.push_back(fd);
        auto conn = std::make_unique<Connection>();
        conn->fd = std::move(c);
        connections_.emplace(fd, std::move(conn));
        loop_.add(fd, EPOLLIN | EPOLLRDHUP, [this, fd](std::uint32_t) { on_readable(fd); });
    }
}

void CallbackListener::close_connection(int fd) {
    loop_.remove(fd);
    connections_.erase(fd);
    std::erase(order_, fd);
}

void CallbackListener::answer(int fd, int status, std::string_view text) {
    const std::string body = std::string(text) + "\n";
    const std::string response = fmt::format(
        "HTTP/1.1 {} {}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\n"
        "Cache-Control: no-store\r\nReferrer-Policy: no-referrer\r\nConnection: close\r\n\r\n{}",
        status, reason(status), body.size(), body);
    // A few hundred bytes into a fresh loopback socket: one write; a peer that does not read
    // loses the page, never the daemon's time.
    [[maybe_unused]] const ssize_t n = ::send(fd, response.data(), response.size(), MSG_NOSIGNAL);
    close_connection(fd);
}

void CallbackListener::on_readable(int fd) {
    auto it = connections_.find(fd);
    if (it == connections_.end()) return;
    Connection& c = *it->second;
    char buffer[4096];
    bool ended = false;  // the peer closed its side (a head sent whole is still answered)
    for (;;) {
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n > 0) {
            c.head.append(buffer, static_cast<std::size_t>(n));
            if (c.head.size() > max_head_bytes) return answer(fd, 431, "The request is too large.");
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) return close_connection(fd);
        ended = n == 0;
        break;
    }
    const std::size_t end = c.head.find("\r\n\r\n");
    if (end == std::string::npos) {
        if (ended) close_connection(fd);
        return;  // more to come
    }
    const std::string_view line = std::string_view(c.head).substr(0, c.head.find("\r\n"));
    const std::size_t sp1 = line.find(' ');
    const std::size_t sp2 = line.rfind(' ');
    if (sp1 == std::string_view::npos || sp2 == sp1 || line.substr(sp2 + 1).rfind("HTTP/1.", 0) != 0) {
        return answer(fd, 400, "This is not an HTTP request.");
    }
    const std::string_view method = line.substr(0, sp1);
    const std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
    const std::size_t q = target.find('?');
    const std::string_view path = target.substr(0, q);
    if (path != "/callback") return answer(fd, 404, "Not found.");
    if (method != "GET") return answer(fd, 405, "Only GET is answered here.");
    const Page page = on_callback_(q == std::string_view::npos ? std::string_view{} : target.substr(q + 1));
    answer(fd, page.status, page.text);
}

}  // namespace growth::daemon
