#include "core/publish/failure.hpp"

#include <fmt/format.h>

namespace growth::publish {

std::string sanitize_message(std::string_view text,
                             std::initializer_list<std::string_view> secrets) {
    std::string out(text);
    for (auto secret : secrets) {
        if (secret.size() < 4)
            continue;  // too short to match safely; such tokens are invalid anyway
        std::size_t pos = 0;
        while ((pos = out.find(secret, pos)) != std::string::npos) {
            out.replace(pos, secret.size(), "[redacted]");
            pos += 10;
        }
    }
    for (auto& c : out) {
        auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7F) c = ' ';
    }
    constexpr std::size_t kMax = 300;
    if (out.size() > kMax) {
        std::size_t cut = kMax;
        // Back up to a UTF-8 lead byte so the message stays valid UTF-8.
        while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
        out.resize(cut);
        out += "...";
    }
    return out;
}

Failure make_failure(FailureClass cls, std::string code, std::string message, int http_status) {
    Failure f;
    f.cls = cls;
    f.code = std::move(code);
    f.message = std::move(message);
    f.http_status = http_status;
    return f;
}

Failure no_response_failure(const http::NoResponse& nr, bool idempotent, std::string_view what) {
    std::string detail = sanitize_message(nr.detail, {});
    if (nr.kind == http::NoResponseKind::not_sent) {
        return make_failure(FailureClass::retry_safe, "not_sent",
                            fmt::format("{} was not sent: {}", what, detail));
    }
    if (nr.kind == http::NoResponseKind::answer_refused) {
        // The server answered, so the request arrived: as uncertain as a lost answer.
        if (idempotent) {
            auto f = make_failure(
                FailureClass::retry_safe, "answer_refused",
                fmt::format("{}'s answer was refused ({}); a retry is idempotent", what, detail));
            f.verify_on_retry = true;
            return f;
        }
        return make_failure(
            FailureClass::ambiguous, "answer_refused",
            fmt::format("{}'s answer was refused ({}); it may or may not have been published",
                        what, detail));
    }
    if (idempotent) {
        auto f = make_failure(
            FailureClass::retry_safe, "connection_lost",
            fmt::format("{} got no response ({}); a retry is idempotent", what, detail));
        f.verify_on_retry = true;
        return f;
    }
    return make_failure(
        FailureClass::ambiguous, "connection_lost",
        fmt::format("{} got no response ({}); it may or may not have been published", what,
                    detail));
}

Failure server_error_failure(int status, bool idempotent, std::string_view what,
                             std::string_view detail) {
    std::string tail = detail.empty() ? std::string() : fmt::format(": {}", detail);
    if (idempotent) {
        auto f = make_failure(
            FailureClass::retry_safe, fmt::format("http_{}", status),
            fmt::format("{} failed with HTTP {}{}; a retry is idempotent", what, status, tail),
            status);
        f.verify_on_retry = true;
        return f;
    }
    return make_failure(
        FailureClass::ambiguous, fmt::format("http_{}", status),
        fmt::format("{} failed with HTTP {}{}; it may or may not have been published", what, status,
                    tail),
        status);
}

}  // namespace growth::publish
