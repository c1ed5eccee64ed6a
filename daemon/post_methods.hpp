#pragma once
// The post.* RPC methods for publishing now: post.publish, post.show, post.retry.

#include "core/rpc/method_table.hpp"
#include "core/secrets/secret_store.hpp"
#include "core/store/store.hpp"
#include "core/text/post_bounds.hpp"
#include "daemon/publish_service.hpp"

namespace growth::daemon {

/// What the post.* handlers use. Every reference must outlive the method table.
struct PostServices {
    Store& store;
    PublishService& publishing;
    text::PostBounds bounds;  ///< [limits] max_post_bytes and max_parts; the daemon keeps it current
};

/// Registers post.publish, post.show and post.retry on `table`. post.publish and post.retry
/// answer when the post's targets have settled (unless "wait" is false).
/// Throws std::logic_error when a name is already taken.
void add_post_methods(rpc::MethodTable& table, PostServices& services);

}  // namespace growth::daemon
