#include "cli/connection.hpp"

#include <fmt/format.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "cli/failure.hpp"
#include "core/rpc/message.hpp"
#include "core/rpc/protocol.hpp"
#include "core/text/utf8.hpp"

namespace growth::cli {

namespace {

/// Replies can be much larger than requests (lists); bound them generously.
constexpr std::size_t max_reply_bytes = 64 * 1024 * 1024;

[[noreturn]] void unreachable(const std::string& message, std::string hint = {}) {
    throw Failure(ExitCode::unreachable, "daemon_unreachable", message, std::move(hint));
}

/// Refuses a request whose strings are not well-formed UTF-8 (an argument with stray bytes),
/// naming the parameter: growthd would refuse the line, and nlohmann::json cannot encode it.
void require_utf8_params(const rpc::Json& value, const std::string& where) {
    if (value.is_string()) {
        const std::size_t at = text::find_invalid_utf8(value.get_ref<const std::string&>());
        if (at != std::string::npos) {
            throw Failure(ExitCode::usage, "bad_input",
                          fmt::format("{}: invalid UTF-8 at byte offset {}", where, at));
        }
    } else if (value.is_array()) {
        for (std::size_t i = 0; i < value.size(); ++i) require_utf8_params(value[i], fmt::format("{}[{}]", where, i));
    } else if (value.is_object()) {
        for (const auto& [key, item] : value.items()) {
            require_utf8_params(rpc::Json(key), "a parameter name");
            require_utf8_params(item, where.empty() ? key : where + "." + key);
        }
    }
}

}  // namespace

DaemonConnection::DaemonConnection(std::filesystem::path socket, bool trace)
    : socket_(std::move(socket)), trace_(trace), framer_(max_reply_bytes) {}

DaemonConnection::~DaemonConnection() {
    if (fd_ >= 0) ::close(fd_);
}

ConnectResult DaemonConnection::try_connect() {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    const std::string path = socket_.string();
    if (path.size() >= sizeof addr.sun_path) {
        throw Failure(ExitCode::usage, "bad_input",
                      fmt::format("socket path {} is too long ({} bytes, at most {})", path,
                                  path.size(), sizeof addr.sun_path - 1));
    }
    std::memcpy(addr.sun_path, path.data(), path.size());
    if (fd_ >= 0) ::close(fd_);
    fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) unreachable(fmt::format("cannot create a socket: {}", std::strerror(errno)));
    if (::connect(fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0) {
        return ConnectResult::connected;
    }
    const int err = errno;
    ::close(fd_);
    fd_ = -1;
    if (err == ENOENT || err == ENOTDIR) return ConnectResult::absent;
    if (err == ECONNREFUSED) return ConnectResult::refused;
    unreachable(fmt::format("cannot connect to growthd at {}: {}", path, std::strerror(err)));
}

void DaemonConnection::send_line(const std::string& line) {
    if (trace_) std::fprintf(stderr, "> %s", line.c_str());
    std::size_t sent = 0;
    while (sent < line.size()) {
        const ssize_t n = ::send(fd_, line.data() + sent, line.size() - sent, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) unreachable(fmt::format("lost the connection to growthd: {}", std::strerror(errno)));
        sent += static_cast<std::size_t>(n);
    }
}

rpc::Json DaemonConnection::read_message() {
    for (;;) {
        if (auto line = framer_.next_line()) {
            if (trace_) std::fprintf(stderr, "< %s\n", line->c_str());
            if (line->empty()) continue;
            try {
                return rpc::Json::parse(*line);
            } catch (const rpc::Json::exception&) {
                unreachable("growthd sent a line that is not JSON");
            }
        }
        if (framer_.overflowed()) unreachable("growthd sent a reply longer than the client accepts");
        char buffer[64 * 1024];
        const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n == 0) unreachable("growthd closed the connection");
        if (n < 0) unreachable(fmt::format("lost the connection to growthd: {}", std::strerror(errno)));
        framer_.feed(std::string_view(buffer, static_cast<std::size_t>(n)));
    }
}

void DaemonConnection::handshake() {
    const rpc::Json hello = read_message();
    if (hello.contains("error") && hello["error"].is_object()) {
        const auto& error = hello["error"];
        const std::string kind = error.value("/data/kind"_json_pointer, std::string("daemon_unreachable"));
        throw Failure(exit_code_for_kind(kind), kind,
                      "growthd refused the connection: " + error.value("message", std::string("")));
    }
    if (hello.value("method", std::string()) != rpc::hello_method ||
        !hello.contains("params") || !hello["params"].is_object()) {
        unreachable(fmt::format("{} did not greet as growthd does; is it growthd's socket?",
                                socket_.string()));
    }
    const auto& params = hello["params"];
    daemon_protocol_ = params.value("protocol", std::string());
    daemon_version_ = params.value("version", std::string());
    if (rpc::parse_protocol_major(daemon_protocol_) != rpc::protocol_major) {
        throw Failure(ExitCode::unreachable, "protocol_mismatch",
                      fmt::format("growthd {} speaks protocol {}, this growthctl speaks {}",
                                  daemon_version_, daemon_protocol_, rpc::protocol_version),
                      "restart growthd from the same installation as growthctl "
                      "(growthctl rpc daemon.stop, then run growthctl again)");
    }
}

rpc::Json DaemonConnection::next_notification() {
    for (;;) {
        rpc::Json message = read_message();
        if (message.is_object() && !message.contains("id") && message.contains("method")) return message;
    }
}

rpc::Json DaemonConnection::call(const std::string& method, const rpc::Json& params) {
    require_utf8_params(params, "");
    const rpc::Json id = next_id_++;
    send_line(rpc::to_line(rpc::make_request(id, method, params)));
    for (;;) {
        rpc::Json reply = read_message();
        if (!reply.is_object() || !reply.contains("id")) continue;  // a notification
        if (reply["id"] != id) {
            if (reply["id"].is_null() && reply.contains("error")) {
                // An error about the request line itself (parse, too long): it answers us.
            } else {
                continue;
            }
        }
        if (reply.contains("result")) return reply["result"];
        const rpc::Json error = reply.value("error", rpc::Json::object());
        const std::string kind =
            error.contains("data") && error["data"].is_object() && error["data"].contains("kind") &&
                    error["data"]["kind"].is_string()
                ? error["data"]["kind"].get<std::string>()
                : "failed";
        const std::string message =
            error.contains("message") && error["message"].is_string()
                ? error["message"].get<std::string>()
                : "growthd reported an error without a message";
        throw Failure(exit_code_for_kind(kind), kind, message);
    }
}

}  // namespace growth::cli
