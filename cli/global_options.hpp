#pragma once
// Options every growthctl verb sees.

#include <string>

namespace growth::cli {

/// Parsed global options. Verbs read them after CLI11 has parsed the command line.
struct GlobalOptions {
    std::string socket;         ///< --socket or $GROWTH_SOCKET; empty means the default path
    bool json = false;          ///< --json: one JSON object on stdout for scripts
    bool no_autostart = false;  ///< --no-autostart: never start growthd
    int verbose = 0;            ///< -v/--verbose, repeatable
};

}  // namespace growth::cli
