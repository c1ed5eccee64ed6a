#include "daemon/options.hpp"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <filesystem>

#include "growth/version.hpp"

namespace growth::daemon {

ParsedOptions parse_options(int argc, const char* const* argv) {
    ParsedOptions parsed;
    DaemonOptions& o = parsed.options;
    CLI::App app{"growthd - the per-user daemon behind growthctl", "growthd"};
    app.set_version_flag("--version", std::string("growthd ") + growth::version);
    std::string config, data_dir, socket;
    app.add_option("--config", config, "Config file (default $XDG_CONFIG_HOME/growth/config.toml)");
    app.add_option("--data-dir", data_dir, "Data directory (default $XDG_DATA_HOME/growth)");
    app.add_option("--socket", socket,
                   "Socket to listen on (default $XDG_RUNTIME_DIR/growth/growthd.sock)");
    std::string key_file;
    app.add_option("--key-file", key_file,
                   "Key file of the secret vault (default $XDG_CONFIG_HOME/growth/vault.key)");
    double http_timeout = 30;
    app.add_option("--http-timeout", http_timeout,
                   "Seconds one HTTP exchange with a platform may take, stalls included (default 30)")
        ->check(CLI::Range(0.1, 600.0));
    app.add_flag("--foreground", o.foreground,
                 "Stay in the foreground and log to stderr (for systemd and debugging)");
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp&) {
        std::fputs(app.help().c_str(), stdout);
        parsed.exit_code = 0;
        return parsed;
    } catch (const CLI::CallForVersion&) {
        std::printf("growthd %s\n", growth::version);
        parsed.exit_code = 0;
        return parsed;
    } catch (const CLI::ParseError& e) {
        std::fprintf(stderr, "growthd: error: %s\n", e.what());
        parsed.exit_code = 2;
        return parsed;
    }
    // Absolute now: in the background growthd runs from "/".
    auto absolute = [](const std::string& path) {
        return path.empty() ? std::filesystem::path() : std::filesystem::absolute(path);
    };
    o.config_file = absolute(config);
    o.data_dir = absolute(data_dir);
    o.socket = absolute(socket);
    o.key_file = absolute(key_file);
    o.http_timeout = std::chrono::milliseconds(static_cast<long long>(http_timeout * 1000));
    return parsed;
}

}  // namespace growth::daemon
