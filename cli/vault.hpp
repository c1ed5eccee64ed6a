#pragma once
// `growthctl unlock | lock | vault status | vault rekey`: the vault's key source (DESIGN.md §6).

#include <CLI/CLI.hpp>

#include <string>

#include "cli/global_options.hpp"
#include "core/rpc/json.hpp"

namespace growth::cli {

/// Registers unlock, lock and vault. Throws nothing at registration time.
void add_vault_commands(CLI::App& app, const GlobalOptions& global, int& exit_code);

/// The human rendering of a vault.status result. Throws std::bad_alloc.
std::string format_vault_status(const rpc::Json& status);

}  // namespace growth::cli
