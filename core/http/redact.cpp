#include "core/http/redact.hpp"

#include <array>
#include <string_view>

#include <nlohmann/json.hpp>

namespace growth::http {

namespace {

constexpr std::string_view kMark = "[redacted]";
constexpr std::array<std::string_view, 3> kSecretHeaders = {"Authorization", "Proxy-Authorization",
                                                            "Cookie"};
constexpr std::array<std::string_view, 7> kSecretParams = {
    "access_token", "password",      "refresh_token",    "client_secret",
    "code",         "code_verifier", "fb_exchange_token"};
constexpr std::array<std::string_view, 3> kSecretJson = {"password", "accessJwt", "refreshJwt"};

bool is_secret_param(std::string_view name) {
    for (auto s : kSecretParams) {
        if (s == name) return true;
    }
    return false;
}

// Rewrites `a=1&b=2` so secret parameters' values become the mark.
std::string redact_params(std::string_view encoded) {
    std::string out;
    while (true) {
        auto amp = encoded.find('&');
        auto pair = encoded.substr(0, amp);
        auto eq = pair.find('=');
        if (eq != std::string_view::npos && is_secret_param(pair.substr(0, eq))) {
            out.append(pair.substr(0, eq + 1));
            out.append(kMark);
        } else {
            out.append(pair);
        }
        if (amp == std::string_view::npos) break;
        out.push_back('&');
        encoded.remove_prefix(amp + 1);
    }
    return out;
}

}  // namespace

HttpRequest redacted(const HttpRequest& req) {
    HttpRequest out;
    out.method = req.method;
    auto q = req.url.find('?');
    out.url = q == std::string::npos ? req.url
                                     : req.url.substr(0, q + 1) +
                                           redact_params(std::string_view(req.url).substr(q + 1));
    for (const auto& h : req.headers.items()) {
        bool secret = false;
        for (auto s : kSecretHeaders) secret = secret || iequals(h.name, s);
        out.headers.add(h.name, secret ? std::string(kMark) : h.value);
    }
    auto type = req.headers.get("Content-Type").value_or("");
    if (type.starts_with("application/x-www-form-urlencoded")) {
        out.body = redact_params(req.body);
    } else if (type.starts_with("application/json") && !req.body.empty()) {
        auto j = nlohmann::json::parse(req.body, nullptr, false);
        if (j.is_discarded()) {
            out.body = "[unparsed body]";
        } else {
            if (j.is_object()) {
                for (auto s : kSecretJson) {
                    if (auto it = j.find(s); it != j.end()) *it = kMark;
                }
            }
            out.body = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        }
    } else {
        out.body = req.body;
    }
    return out;
}

}  // namespace growth::http
