#pragma once
// growthctl's top level: global options, running the parsed command line, and turning every
// failure into one "growthctl: error: ..." line and an exit code.

#include <CLI/CLI.hpp>

#include "cli/global_options.hpp"

namespace growth::cli {

/// Adds --socket (and $GROWTH_SOCKET), --json, --no-autostart, -v/--verbose and --version.
/// Throws nothing at registration time.
void add_global_options(CLI::App& app, GlobalOptions& global);

/// Adds `help [VERB [SUB-VERB]]`, which prints growthctl's or that verb's --help. Throws nothing
/// at registration time.
void add_help_command(CLI::App& app);

/// Parses argv and runs the chosen verb (status when none). Unknown verbs get the nearest known
/// one suggested; CLI11's parse errors are said in the user's words (cli/parse_errors.hpp). With
/// --json an error is {"error":{"kind","message","hint"}} on stdout instead of the stderr lines.
/// Returns the process exit code (DESIGN.md §9); never throws.
int run(CLI::App& app, int argc, const char* const* argv, const GlobalOptions& global,
        int& exit_code) noexcept;

}  // namespace growth::cli
