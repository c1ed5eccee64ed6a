#pragma once
// Small helpers the platform state machines share (internal to core/publish).

#include <string>
#include <string_view>

#include "core/publish/failure.hpp"
#include "core/publish/types.hpp"

namespace growth::publish::detail {

/// `configured` unless empty, else `fallback`. Never throws beyond std::bad_alloc.
inline std::string or_default(const std::string& configured, std::string_view fallback) {
    return configured.empty() ? std::string(fallback) : configured;
}

/// A permanent "bad_input" Failure (nothing was sent). Never throws beyond std::bad_alloc.
inline Failure bad_input(std::string message) {
    return make_failure(FailureClass::permanent, "bad_input", std::move(message));
}

/// The Failure for feed() called while no request is outstanding (a caller bug).
inline Failure misuse(std::string_view what) {
    return make_failure(FailureClass::permanent, "misuse",
                        std::string(what) + ": feed() called without an outstanding request");
}

/// A needs_login Failure for an account without a token (nothing was sent).
inline Failure no_token(std::string_view platform_display) {
    return make_failure(
        FailureClass::needs_login, "no_token",
        std::string(platform_display) + " account has no access token; log in again");
}

/// Checks the reply references every part after the first needs; empty string when fine.
inline std::string reply_refs_problem(const Part& part, bool needs_root) {
    if (part.index < 1) return "part index must be 1 or more";
    if (part.index == 1) return {};
    if (!part.parent || part.parent->id.empty())
        return "part " + std::to_string(part.index) + " has no parent reference";
    if (needs_root && (!part.root || part.root->id.empty()))
        return "part " + std::to_string(part.index) + " has no thread root reference";
    return {};
}

/// The Send step for `req` (no checkpoint).
inline Send send(http::HttpRequest req) { return Send{std::move(req), {}}; }

}  // namespace growth::publish::detail
