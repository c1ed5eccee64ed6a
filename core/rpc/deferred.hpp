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
    /// A deferred call began: one more response is owed. Throws nothing.
    virtual void owed() noexcept = 0;
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
    /// Marks the call answered without sending anything through the sink (the dispatcher
    /// answers synchronously instead). Returns false when it was already answered.
    /// Throws std::bad_alloc.
    bool claim() const;

private:
    struct State;
    std::shared_ptr<State> state_;
};

}  // namespace growth::rpc
