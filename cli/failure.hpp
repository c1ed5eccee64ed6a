#pragma once
// The error growthctl's verbs throw: a message, the exit code it means, and an optional hint.

#include <string>

#include "core/error.hpp"
#include "core/exit_code.hpp"

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

using growth::exit_code_for_kind;

}  // namespace growth::cli
