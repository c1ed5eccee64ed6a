#pragma once
// `growthctl status` (also what growthctl does without a verb).

#include <CLI/CLI.hpp>

#include <string>

#include "cli/global_options.hpp"
#include "core/rpc/json.hpp"

namespace growth::cli {

/// Registers the `status` verb. Throws nothing at registration time.
void add_status_command(CLI::App& app, const GlobalOptions& global, int& exit_code);

/// Calls daemon.status and prints it (one JSON object with --json). Returns the exit code.
/// Throws Failure.
int run_status(const GlobalOptions& global);

/// The human rendering of a daemon.status result, lines ending in '\n'. Throws nothing beyond
/// std::bad_alloc; missing fields print as "?".
std::string format_status(const rpc::Json& status);

/// "45s", "3m 12s", "2h 05m", "4d 03h". Throws std::bad_alloc.
std::string format_uptime(long long seconds);

}  // namespace growth::cli
