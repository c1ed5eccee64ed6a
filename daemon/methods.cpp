#include "daemon/methods.hpp"

#include "core/rpc/protocol.hpp"

namespace growth::daemon {

void add_daemon_methods(rpc::MethodTable& table, DaemonControl& control) {
    table.add({"daemon.status", "Daemon version, protocol, pid, uptime, paths and store counts.", {},
               false},
              [&control](const rpc::Json&) { return control.status(); });
    table.add({"daemon.ping", "Answers {\"pong\":true}; checks that the daemon is responsive.", {},
               false},
              [](const rpc::Json&) { return rpc::Json{{"pong", true}}; });
    table.add({"daemon.describe", "The method table: every method, its parameters and whether it "
                                  "mutates state.",
               {}, false},
              [&table](const rpc::Json&) {
                  rpc::Json out = rpc::Json::object();
                  out["protocol"] = rpc::protocol_version;
                  out["methods"] = table.describe()["methods"];
                  return out;
              });
    table.add({"daemon.reload", "Re-reads the configuration file; on error the old one is kept.",
               {}, true},
              [&control](const rpc::Json&) { return control.reload(); });
    table.add({"daemon.stop", "Stops the daemon gracefully after replying.", {}, true},
              [&control](const rpc::Json&) {
                  control.stop();
                  return rpc::Json{{"stopping", true}};
              });
}

}  // namespace growth::daemon
