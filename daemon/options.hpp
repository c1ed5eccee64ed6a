#pragma once
// growthd's command line.

#include <optional>
#include <string>
#include <vector>

#include "daemon/daemon.hpp"

namespace growth::daemon {

/// Result of parsing argv: either options to run with, or an exit code (after --help/--version
/// output or a usage error, already printed).
struct ParsedOptions {
    DaemonOptions options;
    std::optional<int> exit_code;
};

/// Parses growthd's arguments with CLI11. Prints help/version to stdout and usage errors as one
/// "growthd: error: ..." line to stderr. Throws nothing beyond std::bad_alloc.
ParsedOptions parse_options(int argc, const char* const* argv);

}  // namespace growth::daemon
