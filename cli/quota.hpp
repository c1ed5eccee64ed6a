#pragma once
// `growthctl quota [--account A] [--json]`: each account's posting budgets now (account.quota).

#include <CLI/CLI.hpp>

#include "cli/global_options.hpp"

namespace growth::cli {

/// Registers `quota` on `app`. Throws nothing at registration.
void add_quota_command(CLI::App& app, const GlobalOptions& global, int& exit_code);

}  // namespace growth::cli
