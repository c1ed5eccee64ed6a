#pragma once
// events.watch: connections that asked for state changes get each one as an "events.event"
// notification line, {"type":"post"|"target","post",...,"state","at"}. A subscriber that does
// not read is closed by its connection's output bound (Connection::push); one that is gone is
// dropped at the next event. Loop thread only.

#include <cstdint>
#include <functional>
#include <set>
#include <string>

#include "core/rpc/json.hpp"
#include "core/rpc/method_table.hpp"

namespace growth::daemon {

class EventHub {
public:
    /// Sends one line to a connection; false when it is gone.
    using Push = std::function<bool(std::uint64_t connection, const std::string& line)>;

    explicit EventHub(Push push) : push_(std::move(push)) {}

    /// Connection `id` gets every event from now on. Throws std::bad_alloc.
    void subscribe(std::uint64_t id) { subscribers_.insert(id); }

    /// Sends `event` (an object; "at", RFC 3339 UTC, is added) to every subscriber. Throws nothing.
    void emit(rpc::Json event) noexcept;

    /// Connections watching now. Throws nothing.
    std::size_t subscribers() const noexcept { return subscribers_.size(); }

private:
    Push push_;
    std::set<std::uint64_t> subscribers_;
};

/// Registers events.watch. `hub` must outlive the table. Throws std::logic_error on a duplicate.
void add_event_methods(rpc::MethodTable& table, EventHub& hub);

}  // namespace growth::daemon
