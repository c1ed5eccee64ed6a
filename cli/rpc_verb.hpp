#pragma once
// `growthctl rpc METHOD [PARAMS_JSON]`: one raw JSON-RPC call, the scripting escape hatch.

#include <CLI/CLI.hpp>

#include "cli/global_options.hpp"
#include "core/rpc/json.hpp"

namespace growth::cli {

/// Registers the `rpc` verb. Throws nothing at registration time.
void add_rpc_command(CLI::App& app, const GlobalOptions& global, int& exit_code);

/// Parses PARAMS_JSON: empty means no params; otherwise it must be a JSON object. Throws
/// Failure(usage, "bad_input") naming what is wrong.
rpc::Json parse_params_argument(const std::string& text);

}  // namespace growth::cli
