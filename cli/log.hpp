#pragma once
// `growthctl log [-f] [-n N]`: growthd's log, from the file it writes when growthctl started it in
// the background, or from the journal when it runs under systemd; and `growthctl stop`.

#include <CLI/CLI.hpp>

#include "cli/global_options.hpp"

namespace growth::cli {

/// Registers the `log` and `stop` verbs. Throws nothing at registration time.
void add_log_commands(CLI::App& app, const GlobalOptions& global, int& exit_code);

}  // namespace growth::cli
