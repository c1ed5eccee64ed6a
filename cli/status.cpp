#include "cli/status.hpp"

#include <fmt/format.h>

#include <cstdio>

#include "cli/session.hpp"

namespace growth::cli {

namespace {

std::string text(const rpc::Json& j, const char* key) {
    if (!j.is_object() || !j.contains(key)) return "?";
    const auto& v = j[key];
    return v.is_string() ? v.get<std::string>() : v.dump();
}

}  // namespace

std::string format_uptime(long long s) {
    if (s < 60) return fmt::format("{}s", s);
    if (s < 3600) return fmt::format("{}m {:02}s", s / 60, s % 60);
    if (s < 86400) return fmt::format("{}h {:02}m", s / 3600, (s % 3600) / 60);
    return fmt::format("{}d {:02}h", s / 86400, (s % 86400) / 3600);
}

std::string format_status(const rpc::Json& status) {
    std::string out;
    const auto uptime = status.contains("uptime_seconds") && status["uptime_seconds"].is_number_integer()
                            ? format_uptime(status["uptime_seconds"].get<long long>())
                            : std::string("?");
    out += fmt::format("growthd {} (protocol {}), pid {}, up {}\n", text(status, "version"),
                       text(status, "protocol"), text(status, "pid"), uptime);
    out += fmt::format("data:    {}\n", text(status, "data_dir"));
    out += fmt::format("socket:  {}{}\n", text(status, "socket"),
                       status.value("socket_activated", false) ? " (socket-activated)" : "");
    const rpc::Json counts = status.value("counts", rpc::Json::object());
    std::string by_state;
    if (counts.contains("parts_by_state") && counts["parts_by_state"].is_object()) {
        for (const auto& [state, n] : counts["parts_by_state"].items()) {
            if (n.is_number_integer() && n.get<long long>() > 0) {
                by_state += fmt::format("{}{} {}", by_state.empty() ? "" : ", ", n.dump(), state);
            }
        }
    }
    out += fmt::format("posts:   {}, targets {}, parts {}{}\n", text(counts, "posts"),
                       text(counts, "targets"), text(counts, "parts"),
                       by_state.empty() ? "" : " (" + by_state + ")");
    if (status.contains("vault")) {
        out += fmt::format("vault:   {}\n", status.value("vault", "") == "locked"
                                                 ? "locked: posts wait; growthctl unlock opens it"
                                                 : "unlocked");
    }
    const rpc::Json problems = status.value("problems", rpc::Json::array());
    if (problems.is_array() && !problems.empty()) {
        out += fmt::format("problems: {} account{} cannot authenticate for a post due soon\n", problems.size(),
                           problems.size() == 1 ? "" : "s");
        for (const auto& p : problems) {
            out += fmt::format("  {} (post {} due {}): {}\n", text(p, "account"), text(p, "post"), text(p, "due"),
                               text(p, "message"));
        }
    }
    return out;
}

int run_status(const GlobalOptions& global) {
    auto connection = connect_daemon(global);
    const rpc::Json status = connection->call("daemon.status");
    if (global.json) {
        std::printf("%s\n", status.dump().c_str());
    } else {
        std::fputs(format_status(status).c_str(), stdout);
    }
    return 0;
}

void add_status_command(CLI::App& app, const GlobalOptions& global, int& exit_code) {
    auto* sub = app.add_subcommand("status", "Show the daemon's version, pid, uptime and counts "
                                             "(the default verb)");
    sub->callback([&global, &exit_code] { exit_code = run_status(global); });
}

}  // namespace growth::cli
