#pragma once
// What growthctl's exit code is (DESIGN.md §9): for an error kind, and for a post's outcome. One
// module that the CLI and the pipeline both use.

#include <string_view>

#include "core/error.hpp"
#include "core/json.hpp"

namespace growth {

/// The exit code for an error kind, from the daemon (error.data.kind) or core: 2 for bad input
/// and usage kinds, 3 when the daemon cannot serve, 4/5/6 for partial, unknown and needs-login
/// outcomes, 1 for everything else. Throws nothing.
ExitCode exit_code_for_kind(std::string_view kind) noexcept;

/// The exit code for a post's result (post.publish/post.show's JSON): 0 all published,
/// 5 an outcome unknown, 6 an account needs login, 4 some published or waiting (retry_wait,
/// sending, or missed: publish it with `growthctl retry`),
/// 1 nothing published. Throws nothing.
ExitCode exit_code_for_post(const Json& post) noexcept;

}  // namespace growth
