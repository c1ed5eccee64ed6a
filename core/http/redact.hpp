#pragma once
// A copy of a request that is safe to log (`growthd --debug`): the secrets publishers put on
// the wire are replaced by "[redacted]".

#include "core/http/message.hpp"

namespace growth::http {

/// `req` with these values replaced by "[redacted]": the headers Authorization,
/// Proxy-Authorization and Cookie; the query and form parameters access_token, password,
/// refresh_token, client_secret, code, code_verifier, fb_exchange_token; and in a JSON body the
/// top-level members password, accessJwt, refreshJwt. A JSON body that does not parse is
/// replaced whole. Never throws beyond std::bad_alloc.
HttpRequest redacted(const HttpRequest& req);

}  // namespace growth::http
