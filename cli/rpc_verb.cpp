#include "cli/rpc_verb.hpp"

#include <cstdio>
#include <memory>
#include <string>

#include "cli/failure.hpp"
#include "cli/session.hpp"

namespace growth::cli {

rpc::Json parse_params_argument(const std::string& text) {
    if (text.empty()) return nullptr;
    rpc::Json params;
    try {
        params = rpc::Json::parse(text);
    } catch (const rpc::Json::exception& e) {
        std::string what = e.what();
        const auto bracket = what.find("] ");
        if (bracket != std::string::npos) what.erase(0, bracket + 2);
        throw Failure(ExitCode::usage, "bad_input", "PARAMS_JSON is not valid JSON: " + what);
    }
    if (!params.is_object()) {
        throw Failure(ExitCode::usage, "bad_input",
                      "PARAMS_JSON must be a JSON object of named parameters, e.g. '{\"id\":1}'");
    }
    return params;
}

void add_rpc_command(CLI::App& app, const GlobalOptions& global, int& exit_code) {
    auto* sub = app.add_subcommand("rpc", "Send one raw JSON-RPC call and print its result");
    auto method = std::make_shared<std::string>();
    auto params = std::make_shared<std::string>();
    sub->add_option("METHOD", *method, "Method name, e.g. daemon.status (see daemon.describe)")
        ->required();
    sub->add_option("PARAMS_JSON", *params, "Named parameters as one JSON object");
    sub->callback([&global, &exit_code, method, params] {
        const rpc::Json parsed = parse_params_argument(*params);
        // Stopping a daemon that is not running must not start one first.
        GlobalOptions options = global;
        options.no_autostart = options.no_autostart || *method == "daemon.stop";
        std::unique_ptr<DaemonConnection> connection;
        try {
            connection = connect_daemon(options);
        } catch (const Failure& f) {
            if (f.code() != ExitCode::unreachable || *method != "daemon.stop" || global.no_autostart) throw;
            throw Failure(ExitCode::unreachable, "daemon_unreachable", "growthd is not running: there is nothing to stop");
        }
        const rpc::Json result = connection->call(*method, parsed);
        std::printf("%s\n", global.json ? result.dump().c_str() : result.dump(2).c_str());
        exit_code = 0;
    });
}

}  // namespace growth::cli
