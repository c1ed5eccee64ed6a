#pragma once
// Building classified Failures with safe, one-line messages.

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "core/http/message.hpp"
#include "core/publish/types.hpp"

namespace growth::publish {

/// `text` made fit for a one-line message: each secret (non-empty, ≥ 4 bytes) replaced by
/// "[redacted]", control characters turned into spaces, and cut to 300 bytes (on a UTF-8
/// boundary, with "..."). Never throws beyond std::bad_alloc.
std::string sanitize_message(std::string_view text,
                             std::initializer_list<std::string_view> secrets);

/// A Failure with the given fields. Never throws beyond std::bad_alloc.
Failure make_failure(FailureClass cls, std::string code, std::string message, int http_status = 0);

/// The Failure for a request that got no (usable) response. `what` names the request for the
/// message ("X post"). A not_sent outcome is always retry_safe (code "not_sent"); a lost one
/// (code "connection_lost") and an answer the transport refused past a bound (code
/// "answer_refused": too large, too deep) are retry_safe with verify_on_retry when
/// `idempotent` (a read, or a create the platform deduplicates), else ambiguous. Never throws
/// beyond std::bad_alloc.
Failure no_response_failure(const http::NoResponse& nr, bool idempotent, std::string_view what);

/// The Failure for a 5xx answer to `what`: ambiguous unless `idempotent` (then retry_safe with
/// verify_on_retry). Never throws beyond std::bad_alloc.
Failure server_error_failure(int status, bool idempotent, std::string_view what,
                             std::string_view detail);

/// True for 2xx. Never throws.
constexpr bool is_success(int status) noexcept { return status >= 200 && status < 300; }

}  // namespace growth::publish
