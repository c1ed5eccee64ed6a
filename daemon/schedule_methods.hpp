#pragma once
// post.schedule, post.list, post.cancel and post.reschedule: the timer queue over RPC.

#include "core/rpc/method_table.hpp"
#include "daemon/post_methods.hpp"

namespace growth::daemon {

/// Registers the queue's methods on `table` (the store side is core/pipeline/schedule.hpp; time
/// expressions are parsed here, by growthd's clock, so every client gets the same rules).
/// Throws std::logic_error when a name is taken.
void add_schedule_methods(rpc::MethodTable& table, PostServices& services);

}  // namespace growth::daemon
