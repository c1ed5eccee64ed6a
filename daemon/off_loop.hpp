#pragma once
// Work that must not stall the event loop (Argon2id takes about a second by design) runs on a
// thread of its own; its completion comes back to the loop through an eventfd. The work owns
// everything it touches: it never reaches into loop-thread objects.

#include <exception>
#include <functional>

#include "daemon/event_loop.hpp"

namespace growth::daemon {

/// Runs `work` on a new thread, then `done` on the loop with what `work` threw (null when it
/// returned). When the loop goes away first, the thread is joined and `done` is not called.
/// Throws std::system_error when no eventfd or thread can be had.
void run_off_loop(EventLoop& loop, std::function<void()> work, std::function<void(std::exception_ptr)> done);

}  // namespace growth::daemon
