#pragma once
// The who-am-I shared by platforms that answer one bearer-authenticated GET with a JSON identity
// (X, LinkedIn, Mastodon); each supplies its URL, its error classifier and where the id lives.

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/publish/publisher.hpp"

namespace growth::publish::detail {

/// A platform's classification of a non-2xx answer (its own error body and headers).
using ClassifyError = Failure (*)(const http::HttpResponse& response, Instant now,
                                  std::string_view what, std::string_view token, bool flag);

/// What differs between the bearer who-am-I calls.
struct BearerWhoAmISpec {
    std::string what;             ///< names the call in messages, e.g. "X who-am-I"
    std::string url;              ///< the GET target
    std::string token;            ///< the access token (secret: never put into messages)
    ClassifyError classify;       ///< the platform's error classifier
    bool classify_flag = false;   ///< the classifier's last argument
    std::string_view id_field;    ///< where the id lives, named when it is missing ("data.id")
    /// The identity in a parsed 2xx body; nullopt when the id is missing or not a string.
    std::optional<Identity> (*identity)(const nlohmann::json& body);
    /// A failure start() reports without sending (missing token, no instance URL...).
    std::optional<Failure> precondition;
};

/// One GET with `Authorization: Bearer <token>`, then spec.identity on the answer; transport
/// failures and malformed answers become classified Failures. Never throws beyond std::bad_alloc.
std::unique_ptr<WhoAmI> make_bearer_whoami(BearerWhoAmISpec spec);

}  // namespace growth::publish::detail
