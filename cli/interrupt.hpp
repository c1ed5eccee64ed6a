#pragma once
// Ctrl-C while growthctl waits for growthd: say what goes on and how to follow it, exit 130.

#include <string>

namespace growth::cli {

/// From now on SIGINT writes `message` to standard error and ends growthctl at once with exit
/// status 130 (the work it started goes on in growthd). `message` is copied (at most 4 KiB are
/// kept); a later call replaces it. Throws nothing.
void exit_on_interrupt(const std::string& message) noexcept;

/// SIGINT ends growthctl the default way again. Throws nothing.
void restore_interrupt() noexcept;

}  // namespace growth::cli
