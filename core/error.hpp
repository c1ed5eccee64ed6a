#pragma once
// The one error type core throws for anything a user can act on.

#include <stdexcept>
#include <string>

namespace growth {

/// Process exit codes shared by growthctl and scripts (DESIGN.md §9).
enum class ExitCode : int {
    ok = 0,
    failed = 1,
    usage = 2,        ///< usage error or bad input
    unreachable = 3,  ///< daemon unreachable
    partial = 4,      ///< partly published
    unknown = 5,      ///< outcome unknown
    needs_login = 6,  ///< an account needs a new login
    interrupted = 130,
};

/// An error with a stable symbolic kind (the wire's `error.data.kind`, matched by scripts)
/// and a human message (one line, no secrets). Thrown by core; converted to a wire error in
/// exactly one place in the daemon and to one `growthctl: error: ...` line in the CLI.
class Error : public std::runtime_error {
public:
    /// Does not throw beyond std::bad_alloc.
    Error(std::string kind, const std::string& message)
        : std::runtime_error(message), kind_(std::move(kind)) {}

    /// The stable symbolic name, e.g. "bad_input", "config_invalid", "store_too_new".
    const std::string& kind() const noexcept { return kind_; }

private:
    std::string kind_;
};

}  // namespace growth
