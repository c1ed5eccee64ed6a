#pragma once
// What the core/oauth tests share: an error as "kind: message", and a platform's answer.

#include <string>
#include <utility>

#include "core/error.hpp"
#include "core/http/message.hpp"

namespace growth::oauth_test {

/// "KIND: MESSAGE" of the growth::Error `f` throws, or "no error".
inline std::string kind_of(auto&& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.kind() + ": " + e.what();
    }
    return "no error";
}

/// An HTTP answer with `status` and `body`.
inline http::Outcome answer(int status, std::string body) {
    http::HttpResponse r;
    r.status = status;
    r.body = std::move(body);
    return r;
}

}  // namespace growth::oauth_test
