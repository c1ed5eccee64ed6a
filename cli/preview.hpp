#pragma once
// `growthctl preview`: shows how text splits on each platform, offline (no daemon).

#include <CLI/CLI.hpp>

#include "cli/global_options.hpp"

namespace growth::cli {

/// Registers the `preview` verb on `app`. When it is selected, its callback runs the preview and
/// stores the process exit code in `exit_code`. Throws nothing at registration time.
void add_preview_command(CLI::App& app, const GlobalOptions& global, int& exit_code);

}  // namespace growth::cli
