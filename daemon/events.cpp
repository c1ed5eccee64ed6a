#include "daemon/events.hpp"

#include <chrono>
#include <vector>

#include "core/error.hpp"
#include "core/pipeline/post_json.hpp"
#include "core/rpc/message.hpp"
#include "daemon/log.hpp"

namespace growth::daemon {

void EventHub::emit(rpc::Json event) noexcept {
    if (subscribers_.empty()) return;
    try {
        const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
        event["at"] = pipeline::iso_millis(now);
        const std::string line = rpc::to_line(rpc::make_notification("events.event", event));
        std::vector<std::uint64_t> gone;
        for (const auto id : subscribers_) {
            if (!push_(id, line)) gone.push_back(id);
        }
        for (const auto id : gone) subscribers_.erase(id);
    } catch (const std::exception& e) {
        log(LogLevel::warning, "events: cannot send an event: {}", e.what());
    }
}

void add_event_methods(rpc::MethodTable& table, EventHub& hub) {
    table.add({"events.watch",
               "Streams state changes on this connection from now on, as \"events.event\" notifications "
               "{\"type\":\"post\"|\"target\",\"post\",\"state\",\"account\",\"platform\",\"due\",\"at\"} until it "
               "closes. Result {\"watching\":true}.",
               {},
               false},
              [&hub](const rpc::Json&, const rpc::CallContext& context) {
                  if (context.connection_id == 0) throw Error("invalid_request", "events.watch needs a connection");
                  hub.subscribe(context.connection_id);
                  return rpc::Json{{"watching", true}};
              });
}

}  // namespace growth::daemon
