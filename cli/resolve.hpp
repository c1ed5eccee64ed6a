#pragma once
// The `resolve` verb: recording what the person found for a part whose outcome is unknown.

#include <CLI/CLI.hpp>

#include <string>

#include "cli/global_options.hpp"
#include "core/rpc/json.hpp"

namespace growth::cli {

/// Registers `resolve ID --account A --part N (--published URL_OR_ID | --not-published)`
/// (post.resolve); its callback stores exit code 0 when recorded (bad input exits 2).
/// Throws nothing at registration time.
void add_resolve_command(CLI::App& app, const GlobalOptions& global, int& exit_code);

}  // namespace growth::cli
