#include "daemon/curl_transport.hpp"

#include <fmt/format.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <system_error>
#include <utility>
#include <vector>

#include "core/json_depth.hpp"
#include "daemon/log.hpp"

namespace growth::daemon {

namespace {

/// What one transfer has received so far, with the bounds it is read under.
struct Received {
    http::HttpResponse response;
    std::size_t max_body;
    std::size_t max_header;
    JsonDepthScanner depth;
    std::size_t header_bytes = 0;  ///< every header line so far, interim answers included
    std::string refused;           ///< why reading stopped early; empty while within bounds

    Received(std::size_t max_body_bytes, std::size_t max_header_bytes, int max_depth) noexcept
        : max_body(max_body_bytes), max_header(max_header_bytes), depth(max_depth) {}
};

}  // namespace

/// One request in flight: the easy handle, what it collects, and who to tell.
struct CurlTransport::Transfer {
    CURL* easy = nullptr;
    curl_slist* headers = nullptr;
    Received received;
    Callback done;
    char error[CURL_ERROR_SIZE] = {};

    explicit Transfer(const HttpOptions& o) noexcept
        : received(o.max_response_bytes, o.max_header_bytes, o.max_json_depth) {}
    Transfer(const Transfer&) = delete;
    Transfer& operator=(const Transfer&) = delete;
    ~Transfer() {
        if (easy != nullptr) curl_easy_cleanup(easy);
        if (headers != nullptr) curl_slist_free_all(headers);
    }
};

namespace {

// Returning fewer bytes than given makes curl abort the transfer (CURLE_WRITE_ERROR): past a
// bound nothing more is read or kept, however much the peer still sends.
std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
    auto* in = static_cast<Received*>(user);
    const std::size_t n = size * count;
    if (n > in->max_body - in->response.body.size()) {
        in->refused = fmt::format("larger than {} bytes, limits.max_response_bytes", in->max_body);
        return 0;
    }
    if (!in->depth.feed(std::string_view(data, n))) {
        in->refused = fmt::format("nested deeper than {} levels, limits.max_json_depth",
                                  in->depth.max_depth());
        return 0;
    }
    in->response.body.append(data, n);
    return n;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
        s.remove_suffix(1);
    return s;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
    auto* in = static_cast<Received*>(user);
    auto* response = &in->response;
    const std::string_view line(data, size * count);
    in->header_bytes += line.size();
    if (in->header_bytes > in->max_header) {
        in->refused = fmt::format("headers larger than {} bytes", in->max_header);
        return 0;
    }
    if (line.rfind("HTTP/", 0) == 0) {
        // A new status line (after a 100 Continue or an interim answer): start over.
        response->headers = {};
        return size * count;
    }
    const auto colon = line.find(':');
    if (colon != std::string_view::npos) {
        response->headers.add(std::string(trim(line.substr(0, colon))),
                              std::string(trim(line.substr(colon + 1))));
    }
    return size * count;
}

/// Whether the request certainly never reached the server.
bool certainly_not_sent(CURLcode code, long request_bytes) {
    switch (code) {
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_COULDNT_RESOLVE_PROXY:
        case CURLE_COULDNT_CONNECT:
        case CURLE_SSL_CONNECT_ERROR:
        case CURLE_URL_MALFORMAT:
        case CURLE_UNSUPPORTED_PROTOCOL:
            return true;
        default:
            // Timed out while connecting, or the write failed before the first request byte.
            return request_bytes == 0;
    }
}

}  // namespace

CurlTransport::CurlTransport(EventLoop& loop, HttpOptions options)
    : loop_(loop),
      options_(std::move(options)),
      timer_fd_(::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC)) {
    static const bool global_ok = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
    if (!global_ok) throw std::runtime_error("curl_global_init failed");
    if (!timer_fd_) throw std::system_error(errno, std::generic_category(), "timerfd_create");
    multi_ = curl_multi_init();
    if (multi_ == nullptr) throw std::runtime_error("curl_multi_init failed");
    curl_multi_setopt(multi_, CURLMOPT_SOCKETFUNCTION, &CurlTransport::on_socket);
    curl_multi_setopt(multi_, CURLMOPT_SOCKETDATA, this);
    curl_multi_setopt(multi_, CURLMOPT_TIMERFUNCTION, &CurlTransport::on_timer);
    curl_multi_setopt(multi_, CURLMOPT_TIMERDATA, this);
    // Keep connections to the seven platforms (and a few Meta hosts) warm between parts.
    curl_multi_setopt(multi_, CURLMOPT_MAXCONNECTS, 32L);
    loop_.add(timer_fd_.get(), EPOLLIN, [this](std::uint32_t) { timer_fired(); });
}

CurlTransport::~CurlTransport() {
    loop_.remove(timer_fd_.get());
    for (auto& [easy, transfer] : transfers_) curl_multi_remove_handle(multi_, easy);
    transfers_.clear();
    for (const auto& [fd, events] : watched_) loop_.remove(fd);
    watched_.clear();
    curl_multi_cleanup(multi_);
}

void CurlTransport::send(http::HttpRequest request, Callback done) {
    auto transfer = std::make_unique<Transfer>(options_);
    transfer->done = std::move(done);
    CURL* easy = curl_easy_init();
    auto fail_later = [this](Callback cb, std::string detail) {
        // The contract: never call back from inside send().
        loop_.defer([cb = std::move(cb), detail = std::move(detail)] {
            cb(http::NoResponse{http::NoResponseKind::not_sent, detail});
        });
    };
    if (easy == nullptr) {
        fail_later(std::move(transfer->done), "curl_easy_init failed");
        return;
    }
    transfer->easy = easy;
    curl_easy_setopt(easy, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_USERAGENT, options_.user_agent.c_str());
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(options_.connect_timeout.count()));
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.total_timeout.count()));
    curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, transfer->error);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &on_body);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, &transfer->received);
    curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &on_header);
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, &transfer->received);
    // An answer announced (Content-Length) larger than the bound is refused before its body.
    curl_easy_setopt(easy, CURLOPT_MAXFILESIZE_LARGE,
                     static_cast<curl_off_t>(options_.max_response_bytes));
    curl_easy_setopt(easy, CURLOPT_PRIVATE, transfer.get());
    for (const auto& h : request.headers.items()) {
        const std::string line = h.name + ": " + h.value;
        transfer->headers = curl_slist_append(transfer->headers, line.c_str());
    }
    // No "Expect: 100-continue" round trip before small bodies.
    transfer->headers = curl_slist_append(transfer->headers, "Expect:");
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, transfer->headers);
    if (request.method == "GET") {
        curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
    } else {
        // libcurl silently resends a request whose reused connection died before any answer
        // byte. For a POST that may have been applied (a reset after the server committed it)
        // that resend is a duplicate post, so writes always go on a fresh connection; reads
        // (container status, record checks, permalinks) keep reusing the warm ones.
        curl_easy_setopt(easy, CURLOPT_FRESH_CONNECT, 1L);
        if (request.method != "POST") curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, request.method.c_str());
        curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
        curl_easy_setopt(easy, CURLOPT_COPYPOSTFIELDS, request.body.c_str());
    }
    const CURLMcode added = curl_multi_add_handle(multi_, easy);
    if (added != CURLM_OK) {
        fail_later(std::move(transfer->done), curl_multi_strerror(added));
        return;
    }
    transfers_.emplace(easy, std::move(transfer));
}

int CurlTransport::on_socket(CURL*, curl_socket_t fd, int what, void* self_ptr, void*) {
    auto* self = static_cast<CurlTransport*>(self_ptr);
    if (what == CURL_POLL_REMOVE) {
        self->loop_.remove(fd);
        self->watched_.erase(fd);
        return 0;
    }
    std::uint32_t events = 0;
    if (what == CURL_POLL_IN || what == CURL_POLL_INOUT) events |= EPOLLIN;
    if (what == CURL_POLL_OUT || what == CURL_POLL_INOUT) events |= EPOLLOUT;
    try {
        const auto it = self->watched_.find(fd);
        if (it == self->watched_.end()) {
            self->loop_.add(fd, events, [self, fd](std::uint32_t ev) { self->socket_event(fd, ev); });
            self->watched_.emplace(fd, events);
        } else if (it->second != events) {
            self->loop_.modify(fd, events);
            it->second = events;
        }
    } catch (const std::exception& e) {
        log(LogLevel::error, "cannot watch an HTTP socket: {}", e.what());
        return -1;
    }
    return 0;
}

int CurlTransport::on_timer(CURLM*, long timeout_ms, void* self_ptr) {
    static_cast<CurlTransport*>(self_ptr)->arm_timer(timeout_ms);
    return 0;
}

void CurlTransport::arm_timer(long timeout_ms) {
    itimerspec spec{};
    if (timeout_ms >= 0) {
        // 0 means "now": a timerfd needs a non-zero value to be armed at all.
        const long ms = timeout_ms;
        spec.it_value.tv_sec = ms / 1000;
        spec.it_value.tv_nsec = ms == 0 ? 1 : (ms % 1000) * 1'000'000L;
    }
    ::timerfd_settime(timer_fd_.get(), 0, &spec, nullptr);
}

void CurlTransport::socket_event(curl_socket_t fd, std::uint32_t events) {
    int mask = 0;
    if ((events & EPOLLIN) != 0) mask |= CURL_CSELECT_IN;
    if ((events & EPOLLOUT) != 0) mask |= CURL_CSELECT_OUT;
    if ((events & (EPOLLERR | EPOLLHUP)) != 0) mask |= CURL_CSELECT_ERR;
    drive(fd, mask);
}

void CurlTransport::timer_fired() {
    std::uint64_t expirations = 0;
    [[maybe_unused]] const ssize_t n = ::read(timer_fd_.get(), &expirations, sizeof expirations);
    drive(CURL_SOCKET_TIMEOUT, 0);
}

void CurlTransport::drive(curl_socket_t fd, int ev_bitmask) {
    int running = 0;
    curl_multi_socket_action(multi_, fd, ev_bitmask, &running);
    collect_done();
}

void CurlTransport::collect_done() {
    // Take every finished transfer out first: a callback may start the next request.
    std::vector<std::pair<std::unique_ptr<Transfer>, http::Outcome>> finished;
    int left = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi_, &left)) {
        if (msg->msg != CURLMSG_DONE) continue;
        CURL* easy = msg->easy_handle;
        const CURLcode code = msg->data.result;
        curl_multi_remove_handle(multi_, easy);
        const auto it = transfers_.find(easy);
        if (it == transfers_.end()) continue;
        std::unique_ptr<Transfer> transfer = std::move(it->second);
        transfers_.erase(it);
        if (code == CURLE_FILESIZE_EXCEEDED && transfer->received.refused.empty()) {
            transfer->received.refused = fmt::format(
                "announced larger than {} bytes, limits.max_response_bytes",
                transfer->received.max_body);
        }
        if (!transfer->received.refused.empty()) {
            // An answer was arriving, so the request reached the server.
            std::string why = std::move(transfer->received.refused);
            finished.emplace_back(std::move(transfer),
                                  http::NoResponse{http::NoResponseKind::answer_refused, std::move(why)});
            continue;
        }
        if (code == CURLE_OK) {
            long status = 0;
            curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
            transfer->received.response.status = static_cast<int>(status);
            http::HttpResponse response = std::move(transfer->received.response);
            finished.emplace_back(std::move(transfer), std::move(response));
            continue;
        }
        long request_bytes = 0;
        curl_easy_getinfo(easy, CURLINFO_REQUEST_SIZE, &request_bytes);
        std::string detail = transfer->error[0] != '\0' ? transfer->error : curl_easy_strerror(code);
        const auto kind = certainly_not_sent(code, request_bytes) ? http::NoResponseKind::not_sent
                                                                  : http::NoResponseKind::lost;
        finished.emplace_back(std::move(transfer), http::NoResponse{kind, std::move(detail)});
    }
    for (auto& [transfer, outcome] : finished) {
        Callback done = std::move(transfer->done);
        transfer.reset();
        done(std::move(outcome));
    }
}

}  // namespace growth::daemon
