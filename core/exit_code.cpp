#include "core/exit_code.hpp"

#include <array>
#include <string>

namespace growth {

ExitCode exit_code_for_kind(std::string_view kind) noexcept {
    // Usage errors and bad input (DESIGN.md §9): the caller named something that is wrong or
    // absent, and nothing was changed.
    static constexpr std::array<std::string_view, 24> usage = {
        "bad_input",       "usage",           "invalid_params",    "method_not_found",
        "invalid_request", "parse_error",     "batch_unsupported", "line_too_long",
        "config_invalid",  "unknown_verb",    "unsplittable",      "account_not_found",
        "account_exists",  "account_ambiguous", "post_not_found",  "post_too_large",
        "too_many_parts",  "not_cancelable",  "not_scheduled",     "not_due",
        "post_canceled",   "login_unconfigured", "login_not_found",
        "page_required"};
    for (auto k : usage) {
        if (kind == k) return ExitCode::usage;
    }
    if (kind == "daemon_unreachable" || kind == "too_many_connections" || kind == "shutting_down" ||
        kind == "protocol_mismatch") {
        return ExitCode::unreachable;
    }
    if (kind == "partly_published") return ExitCode::partial;
    if (kind == "outcome_unknown") return ExitCode::unknown;
    // A person must act: log in again, or unlock the vault.
    if (kind == "needs_auth" || kind == "vault_locked") return ExitCode::needs_login;
    return ExitCode::failed;
}

ExitCode exit_code_for_post(const Json& post) noexcept {
    try {
        bool all = true, unknown = false, auth = false, some = false, waiting = false;
        for (const auto& t : post.at("targets")) {
            for (const auto& p : t.at("parts")) {
                const std::string s = p.at("state").get<std::string>();
                if (s == "published") {
                    some = true;
                    continue;
                }
                all = false;
                unknown = unknown || s == "unknown";
                auth = auth || s == "needs_auth";
                waiting = waiting || s == "retry_wait" || s == "sending" || s == "missed";
            }
        }
        if (all) return ExitCode::ok;
        if (unknown) return ExitCode::unknown;
        if (auth) return ExitCode::needs_login;
        if (some || waiting) return ExitCode::partial;
        return ExitCode::failed;
    } catch (...) {
        return ExitCode::failed;
    }
}

}  // namespace growth
