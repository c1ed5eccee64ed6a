#pragma once
// Deferred replies: a handler that cannot answer at once (it waits for the network, e.g.
// post.publish or account.test) takes a Responder and answers later, exactly once, from the loop.

#include <exception>
#include <memory>
#include <optional>

#include "core/rpc/json.hpp"

namespace growth::rpc {

/// Where the late responses of one connection's deferred calls go. Implemented by the daemon's
/// connection; it must stay open until every owed response is settled. Loop thread only.
class LateReplySink {
public:
    virtual ~LateReplySink() = default;
    /// Asked before a deferred call starts. Throws growth::Error("too_many_requests") when the
    /// connection is already owed as many responses as it may be (the call is then answered at
    /// once with that error and its handler never runs). The default admits every call.
    virtual void admit() const {}
    /// A deferred call began: one more response is owed. Throws nothing.
    virtual void owed() noexcept = 0;
    /// True once the connection is gone: nobody will read these responses, so whoever keeps a
    /// Responder only to answer it may drop it, and the work done only for it. Throws nothing.
    virtual bool gone() const noexcept { return false; }
    /// Settles one owed response: `response` is the full JSON-RPC response object, or nullopt
    /// when none is sent (the call was a notification, or it was answered synchronously).
    /// Harmless after the connection is gone. Throws std::bad_alloc.
    virtual void settle(std::optional<Json> response) = 0;
};

/// Answers one deferred call. Copyable handle to shared state; the first answer wins and later
/// ones are ignored. When the last copy is destroyed unanswered (the daemon dropped the work),
/// an internal error is sent so the client never waits forever. Loop thread only.
class Responder {
public:
    /// For the call with request `id`; `wants_reply` is false for a notification. `sink` may be
    /// null (in-process tests): answers then go nowhere. Throws std::bad_alloc.
    Responder(Json id, bool wants_reply, std::shared_ptr<LateReplySink> sink);

    /// Answers with `result`. Throws std::bad_alloc.
    void result(Json result) const;
    /// Answers with the wire error for `error` (rpc::error_response). Throws std::bad_alloc.
    void error(std::exception_ptr error) const;
    /// True once answered (or claimed). Throws nothing.
    bool answered() const noexcept;
    /// True when the answer can no longer reach anyone: the connection that asked has closed.
    /// A holder (a waiter list, a queued transfer) may then drop this Responder. False without a
    /// sink. Throws nothing.
    bool abandoned() const noexcept;
    /// Marks the call answered without sending anything through the sink (the dispatcher
    /// answers synchronously instead). Returns false when it was already answered.
    /// Throws std::bad_alloc.
    bool claim() const;

private:
    struct State;
    std::shared_ptr<State> state_;
};

}  // namespace growth::rpc
