#include "daemon/server.hpp"

#include <fcntl.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "core/rpc/error_codes.hpp"
#include "core/rpc/message.hpp"
#include "daemon/log.hpp"

namespace growth::daemon {

Server::Server(EventLoop& loop, const rpc::Dispatcher& dispatcher, ServerOptions options)
    : loop_(loop),
      dispatcher_(dispatcher),
      options_(std::move(options)),
      spare_fd_(::open("/dev/null", O_RDONLY | O_CLOEXEC)) {}

Server::~Server() {
    stop_listening();
    connections_.clear();
}

void Server::listen(Listener listener) {
    listener_.emplace(std::move(listener));
    loop_.add(listener_->fd(), EPOLLIN, [this](std::uint32_t) { on_accept(); });
}

void Server::stop_listening() noexcept {
    if (!listener_) return;
    loop_.remove(listener_->fd());
    listener_.reset();
}

void Server::on_accept() {
    for (;;) {
        UniqueFd fd(::accept4(listener_->fd(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC));
        if (fd) {
            adopt(std::move(fd));
            if (!listener_) return;
            continue;
        }
        if (errno == EAGAIN || errno == EINTR || errno == ECONNABORTED) return;
        if ((errno == EMFILE || errno == ENFILE) && spare_fd_) {
            // Out of descriptors: the pending connection would wake the loop forever. Use the
            // spare descriptor to accept it and close it at once, then take the spare back.
            log(LogLevel::warning, "out of file descriptors; refusing a connection");
            spare_fd_.reset();
            UniqueFd excess(::accept4(listener_->fd(), nullptr, nullptr, SOCK_CLOEXEC));
            excess.reset();
            spare_fd_.reset(::open("/dev/null", O_RDONLY | O_CLOEXEC));
            continue;
        }
        log(LogLevel::error, "accept failed: {}", std::strerror(errno));
        return;
    }
}

bool Server::adopt(UniqueFd fd) {
    ucred peer{};
    socklen_t len = sizeof peer;
    if (::getsockopt(fd.get(), SOL_SOCKET, SO_PEERCRED, &peer, &len) != 0) {
        log(LogLevel::warning, "refused a connection: cannot read its credentials: {}",
            std::strerror(errno));
        return false;
    }
    if (peer.uid != options_.allowed_uid) {
        log(LogLevel::warning, "refused a connection from uid {} (pid {}): only uid {} is served",
            peer.uid, peer.pid, options_.allowed_uid);
        return false;
    }
    if (connections() >= options_.max_connections) {
        log(LogLevel::warning, "refused a connection from pid {}: {} connections already open",
            peer.pid, connections());
        const std::string line = rpc::to_line(rpc::make_error(
            nullptr, rpc::ErrorCode::application_error, rpc::kind::too_many_connections,
            "too many connections (limit " + std::to_string(options_.max_connections) + ")"));
        // Best effort: a fresh socket's buffer takes one short line without blocking.
        [[maybe_unused]] const ssize_t n =
            ::send(fd.get(), line.data(), line.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
        return false;
    }
    const std::uint64_t id = next_id_++;
    log(LogLevel::debug, "connection {} from pid {}", id, peer.pid);
    connections_.emplace(
        id, std::make_unique<Connection>(
                loop_, dispatcher_, std::move(fd), id,
                rpc::to_line(rpc::make_hello(options_.daemon_version)), options_.limits,
                [this](std::uint64_t closed_id) { on_closed(closed_id); }));
    return true;
}

void Server::on_closed(std::uint64_t id) {
    // Never destroy a connection inside its own callback: do it after the round.
    loop_.defer([this, id] {
        log(LogLevel::debug, "connection {} closed", id);
        const auto it = connections_.find(id);
        if (it == connections_.end()) return;
        refused_closed_ += it->second->refused();
        connections_.erase(it);
    });
}

bool Server::push(std::uint64_t id, const std::string& line) {
    const auto it = connections_.find(id);
    return it != connections_.end() && it->second->push(line);
}

std::size_t Server::connections() const noexcept {
    std::size_t open = 0;
    for (const auto& [id, connection] : connections_) open += connection->closed() ? 0 : 1;
    return open;
}

void Server::set_max_owed(std::size_t limit) noexcept {
    options_.limits.max_owed = limit;
    for (auto& [id, connection] : connections_) connection->set_max_owed(limit);
}

std::size_t Server::owed() const noexcept {
    std::size_t owed = 0;
    for (const auto& [id, connection] : connections_) owed += connection->closed() ? 0 : connection->owed();
    return owed;
}

std::uint64_t Server::refused() const noexcept {
    std::uint64_t refused = refused_closed_;
    for (const auto& [id, connection] : connections_) refused += connection->refused();
    return refused;
}

void Server::flush_all() noexcept {
    for (auto& [id, connection] : connections_) connection->flush_now();
}

}  // namespace growth::daemon
