#pragma once
// `growthctl account login`: the platform's OAuth flow from a terminal (account.login.*).

#include <CLI/CLI.hpp>

#include "cli/global_options.hpp"

namespace growth::cli {

/// Adds `login` under the `account` subcommand.
void add_login_command(CLI::App& account, const GlobalOptions& global, int& exit_code);

}  // namespace growth::cli
