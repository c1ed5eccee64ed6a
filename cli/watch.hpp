#pragma once
// `growthctl watch [--json]`: prints growthd's state changes (events.watch) until interrupted.

#include <CLI/CLI.hpp>

#include "cli/global_options.hpp"

namespace growth::cli {

/// Registers `watch` on `app`. Throws nothing at registration.
void add_watch_command(CLI::App& app, const GlobalOptions& global, int& exit_code);

}  // namespace growth::cli
