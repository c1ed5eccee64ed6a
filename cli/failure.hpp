#pragma once
// The error growthctl's verbs throw: a message, the exit code it means, and an optional hint.

#include <string>

#include "core/error.hpp"

namespace growth::cli {

/// A failure with its exit code already decided (DESIGN.md §9). Printed as one
/// "growthctl: error: MESSAGE" line, then "hint: HINT" when there is a hint.
class Failure : public Error {
public:
    /// Throws only std::bad_alloc.
    Failure(ExitCode code, std::string kind, const std::string& message, std::string hint = {})
        : Error(std::move(kind), message), code_(code), hint_(std::move(hint)) {}

    ExitCode code() const noexcept { return code_; }
    const std::string& hint() const noexcept { return hint_; }

private:
    ExitCode code_;
    std::string hint_;
};

/// The exit code for an error kind, from the daemon (error.data.kind) or core: 2 for bad input
/// and usage kinds, 3 when the daemon cannot serve, 4/5/6 for partial, unknown and needs-login
/// outcomes, 1 for everything else. Throws nothing.
ExitCode exit_code_for_kind(std::string_view kind) noexcept;

}  // namespace growth::cli
