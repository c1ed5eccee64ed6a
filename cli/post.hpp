#pragma once
// The publishing verbs: `post` (publish now), `show ID` and `retry ID`.

#include <CLI/CLI.hpp>

#include <string>

#include "cli/global_options.hpp"
#include "core/rpc/json.hpp"

namespace growth::cli {

/// Registers `post`, `show` and `retry` on `app`; their callbacks store the exit code (0 all
/// published, 4 some not, 5 an outcome unknown, 6 an account needs login, 1 nothing published).
/// Throws nothing at registration time.
void add_post_commands(CLI::App& app, const GlobalOptions& global, int& exit_code);

/// The human rendering of a post.publish/post.show/post.retry result: one line for the post,
/// then per target its state and each part's URL, or its state and the publisher's message.
/// Throws std::bad_alloc.
std::string format_post(const rpc::Json& post);

/// The human rendering of a dry-run result (the parts each target would send).
/// Throws std::bad_alloc.
std::string format_dry_run(const rpc::Json& plan);

}  // namespace growth::cli
