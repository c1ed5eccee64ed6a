#include "daemon/connection.hpp"

#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string_view>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/rpc/error_codes.hpp"
#include "core/rpc/message.hpp"
#include "daemon/log.hpp"

namespace growth::daemon {

/// The connection's LateReplySink: forwards to the connection while it exists.
class Connection::Late final : public rpc::LateReplySink {
public:
    explicit Late(Connection* owner) : owner_(owner) {}
    void detach() noexcept { owner_ = nullptr; }
    bool attached() const noexcept { return owner_ != nullptr; }
    void admit() const override {
        if (owner_ == nullptr || owner_->owed_ < owner_->limits_.max_owed) return;
        ++owner_->refused_;
        throw Error(std::string(rpc::kind::too_many_requests),
                    fmt::format("too many requests awaiting an answer on this connection (limit {}); "
                                "wait for answers before sending more",
                                owner_->limits_.max_owed));
    }
    bool gone() const noexcept override { return owner_ == nullptr || owner_->closed_; }
    void owed() noexcept override {
        if (owner_ != nullptr) ++owner_->owed_;
    }
    void settle(std::optional<rpc::Json> response) override {
        if (owner_ != nullptr) owner_->deliver_late(std::move(response));
    }

private:
    Connection* owner_;
};

Connection::Connection(EventLoop& loop, const rpc::Dispatcher& dispatcher, UniqueFd fd,
                       std::uint64_t id, const std::string& greeting, ConnectionLimits limits,
                       std::function<void(std::uint64_t)> on_closed)
    : loop_(loop),
      dispatcher_(dispatcher),
      fd_(std::move(fd)),
      id_(id),
      limits_(limits),
      on_closed_(std::move(on_closed)),
      framer_(limits.max_line),
      late_(std::make_shared<Late>(this)) {
    output_ = greeting;
    interest_ = EPOLLIN | EPOLLOUT;
    loop_.add(fd_.get(), interest_, [this](std::uint32_t events) { on_events(events); });
}

Connection::~Connection() {
    late_->detach();
    if (!closed_) loop_.remove(fd_.get());
}

void Connection::deliver_late(std::optional<rpc::Json> response) {
    if (owed_ > 0) --owed_;
    if (closed_) return;
    if (response) output_ += rpc::to_line(*response);
    // Answered from inside a handler (serve_pending is on the stack) or from a later callback:
    // either way, write and re-evaluate after this round, never re-entering the connection.
    loop_.defer([late = late_, this] {
        if (!late->attached() || closed_) return;
        if (peer_done_ && pending_.empty() && framer_.buffered() == 0 && owed_ == 0) {
            closing_ = true;
        }
        flush();
        update_interest();
    });
}

void Connection::send_and_close(const std::string& line) {
    if (closed_) return;
    output_ += line;
    closing_ = true;
    update_interest();
}

bool Connection::push(const std::string& line) {
    if (closed_ || closing_) return false;
    if (output_.size() - output_sent_ + line.size() > 4 * limits_.output_high_water) {
        log(LogLevel::notice, "connection {}: not reading its notifications, closing", id_);
        close();
        return false;
    }
    output_ += line;
    flush();
    update_interest();
    return !closed_;
}

void Connection::on_events(std::uint32_t events) {
    if (closed_) return;
    if ((events & EPOLLERR) != 0) {
        close();
        return;
    }
    if ((events & EPOLLIN) != 0) read_some();
    if (closed_) return;
    serve_pending();
    flush();
    if (closed_) return;
    // HUP without IN: the peer is gone entirely and nothing is left to read.
    if ((events & EPOLLHUP) != 0 && (events & EPOLLIN) == 0) {
        close();
        return;
    }
    update_interest();
}

void Connection::read_some() {
    // One buffer for every connection: the loop is single-threaded and framing copies out of it.
    static char chunk[64 * 1024];
    const std::size_t chunk_size = std::min(limits_.read_chunk, sizeof chunk);
    // A few reads per wake-up, then yield to other clients (the loop is level-triggered).
    for (int round = 0; round < 4 && !closing_ && !peer_done_; ++round) {
        if (pending_.size() >= limits_.max_pending) break;
        if (output_.size() - output_sent_ >= limits_.output_high_water) break;
        const ssize_t n = ::recv(fd_.get(), chunk, chunk_size, 0);
        if (n > 0) {
            framer_.feed(std::string_view(chunk, static_cast<std::size_t>(n)));
            take_lines();
            continue;
        }
        if (n == 0) {
            // End of input: an unterminated last line still counts as a request.
            peer_done_ = true;
            if (framer_.buffered() > 0) framer_.feed("\n");
            take_lines();
            break;
        }
        if (errno == EAGAIN || errno == EINTR) break;
        log(LogLevel::debug, "connection {}: read failed: {}", id_, std::strerror(errno));
        close();
        return;
    }
}

void Connection::take_lines() {
    while (pending_.size() < limits_.max_pending) {
        auto line = framer_.next_line();
        if (!line) break;
        pending_.push_back(std::move(*line));
    }
}

void Connection::serve_pending() {
    while (!closed_ && output_.size() - output_sent_ < limits_.output_high_water) {
        if (pending_.empty()) take_lines();
        if (pending_.empty()) break;
        std::string line = std::move(pending_.front());
        pending_.pop_front();
        if (auto response = dispatcher_.handle_line(line, rpc::CallContext{id_, late_})) {
            output_ += rpc::to_line(*response);
        }
    }
    if (pending_.empty() && framer_.overflowed() && !closing_) {
        log(LogLevel::notice, "connection {}: request line over {} bytes, closing", id_,
            limits_.max_line);
        output_ += rpc::to_line(rpc::make_error(
            nullptr, rpc::ErrorCode::invalid_request, rpc::kind::line_too_long,
            "request line longer than " + std::to_string(limits_.max_line) + " bytes"));
        closing_ = true;
    }
    if (peer_done_ && pending_.empty() && framer_.buffered() == 0 && owed_ == 0) closing_ = true;
}

void Connection::flush() {
    while (!closed_ && output_sent_ < output_.size()) {
        const ssize_t n = ::send(fd_.get(), output_.data() + output_sent_,
                                 output_.size() - output_sent_, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n > 0) {
            output_sent_ += static_cast<std::size_t>(n);
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EINTR)) break;
        close();  // EPIPE, ECONNRESET: the client is gone
        return;
    }
    if (output_sent_ == output_.size()) {
        output_.clear();
        output_sent_ = 0;
    } else if (output_sent_ > 64 * 1024 && output_sent_ > output_.size() / 2) {
        output_.erase(0, output_sent_);
        output_sent_ = 0;
    }
}

void Connection::flush_now() noexcept {
    try {
        flush();
    } catch (...) {
    }
}

void Connection::update_interest() {
    if (closed_) return;
    const bool backlog = output_sent_ < output_.size();
    if (closing_ && !backlog) {
        close();
        return;
    }
    std::uint32_t want = 0;
    if (!closing_ && !peer_done_ && pending_.size() < limits_.max_pending &&
        output_.size() - output_sent_ < limits_.output_high_water) {
        want |= EPOLLIN;
    }
    if (backlog) want |= EPOLLOUT;
    if (want != interest_) {
        loop_.modify(fd_.get(), want);
        interest_ = want;
    }
}

void Connection::close() noexcept {
    if (closed_) return;
    closed_ = true;
    loop_.remove(fd_.get());
    ::shutdown(fd_.get(), SHUT_RDWR);
    if (on_closed_) on_closed_(id_);
}

}  // namespace growth::daemon
