#pragma once
// The post.* RPC methods for publishing now: post.publish, post.show, post.retry.

#include <functional>
#include <string>

#include "core/pipeline/plan.hpp"
#include "core/pipeline/progress.hpp"
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
    std::function<void()> queue_changed = [] {};  ///< a post was scheduled, moved or cancelled
    std::string zone;                             ///< [schedule] zone: local times' default ("" system)
    pipeline::Millis catch_up_ms = pipeline::catch_up_window_ms;  ///< [schedule] catch_up
};

/// The plan of post.publish's and post.schedule's text, to, numbering and media_url. Throws
/// growth::Error("bad_input", "invalid_params", "account_not_found", ...) as plan_post does.
pipeline::PostPlan plan_from(Store& store, const rpc::Json& params, const text::PostBounds& bounds);

/// Milliseconds since the epoch, now. Throws nothing.
pipeline::Millis now_ms() noexcept;

/// Registers post.publish, post.show and post.retry on `table`. post.publish and post.retry
/// answer when the post's targets have settled (unless "wait" is false).
/// Throws std::logic_error when a name is already taken.
void add_post_methods(rpc::MethodTable& table, PostServices& services);

}  // namespace growth::daemon
