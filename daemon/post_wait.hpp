#pragma once
// post.wait: a client that already has a post's id (post.publish with wait=false) waits for
// the post to settle without starting anything (post.retry would start its unfinished targets).

#include "core/rpc/method_table.hpp"
#include "daemon/publish_service.hpp"

namespace growth::daemon {

/// Registers post.wait on `table`: params {id}; answers with post.show's result once no target
/// of the post is running (at once when none is). `publishing` must outlive the table.
/// Throws std::logic_error when the name is already taken.
void add_post_wait_method(rpc::MethodTable& table, PublishService& publishing);

}  // namespace growth::daemon
