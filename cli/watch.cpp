#include "cli/watch.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <memory>
#include <string>

#include "cli/schedule.hpp"
#include "cli/session.hpp"

namespace growth::cli {

namespace {

/// "13:05:02  post 1kdw...  published" / "13:05:02  post 1kdw...  mastodon (mastodon): published".
std::string describe(const rpc::Json& e) {
    const std::string at = local_time(string_field(e, "at"));
    const std::string clock = at.size() >= 19 ? at.substr(11, 8) : at;
    std::string line = fmt::format("{}  post {}  ", clock, string_field(e, "post"));
    if (string_field(e, "type") == "target") {
        line += fmt::format("{} ({}): {}", string_field(e, "account"), string_field(e, "platform"), string_field(e, "state"));
    } else {
        line += string_field(e, "state");
        if (string_field(e, "state") == "scheduled" && !string_field(e, "due").empty()) line += ", due " + local_time(string_field(e, "due"));
        if (e.value("preflight", false)) {
            // Ahead of time: the post is still scheduled, one of its accounts cannot log in.
            line += fmt::format(" ahead of its time ({}): {}", local_time(string_field(e, "due")),
                                string_field(e, "message"));
        }
    }
    return line;
}

}  // namespace

void add_watch_command(CLI::App& app, const GlobalOptions& global, int& exit_code) {
    (void)exit_code;  // it runs until interrupted (130) or growthd goes away (3)
    auto json = std::make_shared<bool>(false);
    auto* watch = app.add_subcommand("watch", "Print state changes of posts as they happen, until interrupted");
    watch->add_flag("--json", *json, "One JSON object per line: {\"type\",\"post\",\"state\",...,\"at\"}");
    watch->callback([json, &global] {
        auto connection = connect_daemon(global);
        connection->call("events.watch", rpc::Json::object());
        const bool as_json = global.json || *json;
        if (!as_json) std::fprintf(stderr, "watching growthd's posts; Ctrl-C stops\n");
        for (;;) {
            const rpc::Json message = connection->next_notification();
            if (message.value("method", std::string()) != "events.event" || !message.contains("params")) continue;
            const rpc::Json& e = message["params"];
            std::printf("%s\n", as_json ? e.dump().c_str() : describe(e).c_str());
            std::fflush(stdout);
        }
    });
}

}  // namespace growth::cli
