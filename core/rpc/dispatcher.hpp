#pragma once
// Turns one request line into at most one response: parsing, JSON-RPC validation, method lookup,
// parameter checks, the handler call, and the one place where an exception becomes a wire error.

#include <exception>
#include <functional>
#include <optional>
#include <string_view>

#include "core/json_depth.hpp"
#include "core/rpc/json.hpp"
#include "core/rpc/method_table.hpp"

namespace growth::rpc {

/// Maps an exception thrown while serving request `id` to a JSON-RPC error response. This is the
/// only place in growthd where that happens: growth::Error keeps its kind (invalid_params and
/// method_not_found get their JSON-RPC codes, every other kind -32000); anything else is an
/// internal error (-32603) whose message says what was thrown. Throws only std::bad_alloc.
Json error_response(const Json& id, std::exception_ptr error);

/// Serves requests against a MethodTable. Stateless apart from the optional gate.
class Dispatcher {
public:
    /// Called with the method's spec before its handler; may throw growth::Error to refuse the
    /// call (the daemon refuses mutating calls while stopping this way).
    using Gate = std::function<void(const MethodSpec&)>;

    explicit Dispatcher(const MethodTable& table, Gate gate = {}) noexcept
        : table_(table), gate_(std::move(gate)) {}

    /// Sets how deeply a request line may nest arrays and objects (limits.max_json_depth; 64
    /// until set). Applies to the lines handled after the call. Never throws.
    void set_max_json_depth(int depth) noexcept { max_json_depth_ = depth; }

    /// Handles one line (without its '\n'). Returns the response, or nullopt when none is due:
    /// for a notification (a request without "id"), for a blank line, and for a deferred method
    /// (its Responder answers later through context.late; a connection already owed its limit
    /// of answers gets too_many_requests at once instead, see LateReplySink::admit). Batches (JSON
    /// arrays) are answered with one invalid_request error of kind batch_unsupported. A line
    /// nesting deeper than the JSON depth limit is answered with an invalid_request error (id null)
    /// before any JSON value is built from it. Never throws except std::bad_alloc.
    /// `context` is passed on to the handler.
    std::optional<Json> handle_line(std::string_view line, const CallContext& context = {}) const;

    /// Handles one parsed message; as handle_line.
    std::optional<Json> handle(const Json& message, const CallContext& context = {}) const;

private:
    const MethodTable& table_;
    Gate gate_;
    int max_json_depth_ = default_max_json_depth;
};

}  // namespace growth::rpc
