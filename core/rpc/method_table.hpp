#pragma once
// The table of RPC methods: name, named parameters with their types, whether the method
// mutates state, and the handler. Arity and types are checked here, before any handler runs.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/rpc/deferred.hpp"
#include "core/rpc/json.hpp"

namespace growth::rpc {

/// JSON type a parameter must have. `integer` accepts only whole numbers.
enum class ParamType { string, integer, boolean, number, object, array, any };

/// The name used for a ParamType in describe output and error messages ("string", ...).
std::string_view to_string(ParamType type) noexcept;

/// One named parameter of a method.
struct ParamSpec {
    std::string name;
    ParamType type = ParamType::any;
    bool required = false;
    std::string summary;
};

/// What a method is, as daemon.describe reports it.
struct MethodSpec {
    std::string name;  ///< dotted, e.g. "daemon.status"
    std::string summary;
    std::vector<ParamSpec> params;
    bool mutates = false;  ///< changes persistent or daemon state; refused while shutting down
};

/// Who is calling. A handler that starts a stream (e.g. a watch) keeps connection_id and later
/// pushes notifications to it through the daemon's Server.
struct CallContext {
    std::uint64_t connection_id = 0;  ///< 0 when the call does not come from a connection
    /// Where deferred handlers' late responses go (the connection); null outside a connection.
    std::shared_ptr<LateReplySink> late;
};

/// Runs a call. `params` is always an object that passed the spec's checks. Returns the result.
/// May throw growth::Error (an application error with its kind) or anything else (internal).
using Handler = std::function<Json(const Json& params, const CallContext& context)>;

/// A handler that does not care who calls.
using SimpleHandler = std::function<Json(const Json& params)>;

/// A handler that answers later through `reply` (exactly once; see Responder). Throwing before
/// answering answers with that error at once. Parameters are checked before it runs, as for
/// Handler.
using DeferredHandler =
    std::function<void(const Json& params, const CallContext& context, Responder reply)>;

/// A sorted set of methods. Filled once at start-up; lookups are read-only.
class MethodTable {
public:
    struct Entry {
        MethodSpec spec;
        Handler handler;           ///< set for ordinary methods
        DeferredHandler deferred;  ///< set instead for methods that answer later
    };

    /// Adds a method. Throws std::logic_error for a duplicate name or an empty handler.
    void add(MethodSpec spec, Handler handler);
    /// Same, for a handler without the call context.
    void add(MethodSpec spec, SimpleHandler handler);
    /// Adds a method that answers later. Throws std::logic_error as add().
    void add_deferred(MethodSpec spec, DeferredHandler handler);

    /// The method of that name, or nullptr. Throws nothing.
    const Entry* find(std::string_view name) const noexcept;

    /// Every method name, sorted. Throws std::bad_alloc.
    std::vector<std::string> names() const;

    /// The closest method name to a misspelt one, if any is close. Throws std::bad_alloc.
    std::optional<std::string> suggest(std::string_view name) const;

    /// Checks `params` (null, or an object) against the method's spec. Throws growth::Error with
    /// kind "invalid_params" naming the first problem (not an object, unknown, missing, wrong type).
    static void check_params(const MethodSpec& spec, const Json& params);

    /// {"methods":[{"name":..,"summary":..,"mutates":..,"params":[{"name","type","required",
    /// "summary"}...]}...]} sorted by name. Throws std::bad_alloc.
    Json describe() const;

private:
    std::map<std::string, Entry, std::less<>> entries_;
};

}  // namespace growth::rpc
