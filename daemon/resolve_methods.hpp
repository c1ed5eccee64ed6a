#pragma once
// post.resolve: recording what the person found for a part whose outcome is unknown.

#include "core/rpc/method_table.hpp"
#include "daemon/post_methods.hpp"

namespace growth::daemon {

/// Registers post.resolve on `table` (the store write is core/pipeline/resolve.hpp). Answers
/// post.show's result after the change. Throws std::logic_error when the name is taken.
void add_resolve_methods(rpc::MethodTable& table, PostServices& services);

}  // namespace growth::daemon
