#include "cli/quota.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <memory>
#include <string>

#include "cli/session.hpp"
#include "cli/schedule.hpp"

namespace growth::cli {

namespace {

std::string window_text(std::int64_t seconds) {
    if (seconds % 86400 == 0) return seconds == 86400 ? "day" : fmt::format("{} days", seconds / 86400);
    if (seconds % 3600 == 0) return seconds == 3600 ? "hour" : fmt::format("{} hours", seconds / 3600);
    if (seconds % 60 == 0) return seconds == 60 ? "minute" : fmt::format("{} min", seconds / 60);
    return fmt::format("{} s", seconds);
}

int run_quota(const rpc::Json& params, const GlobalOptions& global, bool json) {
    auto connection = connect_daemon(global);
    const rpc::Json result = connection->call("account.quota", params);
    if (json) {
        std::printf("%s\n", result.dump().c_str());
        return 0;
    }
    const auto accounts = result.value("accounts", rpc::Json::array());
    if (accounts.empty()) {
        std::printf("no accounts yet; growthctl account add adds one\n");
        return 0;
    }
    std::printf("%-20s %-10s %-18s %6s %6s  %s\n", "ACCOUNT", "PLATFORM", "BUDGET", "USED", "LEFT", "MORE FROM");
    for (const auto& a : accounts) {
        const std::string name = a.value("account", std::string());
        const std::string platform = a.value("platform", std::string());
        const auto budgets = a.value("budgets", rpc::Json::array());
        if (budgets.empty()) {
            std::printf("%-20s %-10s %-18s %6s %6s  %s\n", name.c_str(), platform.c_str(), "none", "-", "-", "-");
            continue;
        }
        for (const auto& b : budgets) {
            const std::string budget = fmt::format("{} per {}", b.value("limit", 0),
                                                   window_text(b.value("window_seconds", std::int64_t{0})));
            const std::string frees = b["frees_at"].is_string() ? local_time(b["frees_at"].get<std::string>()) : "-";
            std::printf("%-20s %-10s %-18s %6d %6d  %s\n", name.c_str(), platform.c_str(), budget.c_str(),
                        b.value("used", 0), b.value("remaining", 0), frees.c_str());
        }
    }
    return 0;
}

}  // namespace

void add_quota_command(CLI::App& app, const GlobalOptions& global, int& exit_code) {
    struct Options {
        std::string account;
        bool json = false;
    };
    auto o = std::make_shared<Options>();
    auto* quota = app.add_subcommand("quota", "Show each account's posting budgets: used, left, and when more is free");
    quota->add_option("--account", o->account, "Only this account");
    quota->add_flag("--json", o->json, "Print one JSON object for scripts");
    quota->footer("Budgets come from the platforms' published limits and are set per platform in the [budgets] "
                  "table of growth.toml (e.g. mastodon = \"300/3h\", or \"off\"). A post whose thread does not fit "
                  "waits in retry_wait and goes out by itself when it does.");
    quota->callback([o, &global, &exit_code] {
        rpc::Json params = rpc::Json::object();
        if (!o->account.empty()) params["account"] = o->account;
        exit_code = run_quota(params, global, global.json || o->json);
    });
}

}  // namespace growth::cli
