#pragma once
// growth's configuration file ($XDG_CONFIG_HOME/growth/config.toml): parsing and validation.
// data/config.toml.example documents every key.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <map>
#include <string>

#include "core/oauth/app.hpp"
#include "core/pipeline/budget.hpp"
#include <string_view>

namespace growth {

/// Daemon log threshold, in syslog order (debug is the most verbose).
enum class LogLevel { debug, info, notice, warning, error };

/// The validated configuration. Defaults are what an absent key means.
struct Config {
    LogLevel log_level = LogLevel::info;  ///< [daemon] log_level
    int max_connections = 64;             ///< [daemon] max_connections, 1..4096

    // [limits]: bounds on everything read from outside (DESIGN.md §10).
    std::int64_t max_response_bytes = 8 * 1024 * 1024;  ///< one platform answer's body
    int max_json_depth = 64;          ///< nesting of an RPC request or a platform answer
    std::int64_t max_post_bytes = 512 * 1024;  ///< a post's text, UTF-8 bytes
    int max_parts = 100;              ///< parts of one target's thread
    int max_owed_replies = 256;       ///< deferred replies one connection may be owed
    int max_transfers_per_account = 4;  ///< concurrent HTTP transfers of one account

    // [schedule]
    std::string schedule_zone;  ///< IANA zone of local times without --tz; "" = the system zone
    std::int64_t catch_up_ms = 15 * 60 * 1000;  ///< how late a due post may still go out by itself

    // [budgets]: each platform's posting budget per account ("100/15m", a list of them, or "off")
    pipeline::Budgets budgets = pipeline::default_budgets();

    // [hooks]: a command (run with sh -c) per post state: published, failed, unknown, missed,
    // needs_auth; by state name.
    std::map<std::string, std::string> hooks;

    // [platforms.NAME]: the OAuth app `account login` uses (x, linkedin); absent: unconfigured.
    std::map<Platform, oauth::ConfiguredApp> apps;
};

/// The config spelling of a level ("debug", "info", ...). Never throws.
std::string_view to_string(LogLevel level) noexcept;

/// The level spelled `name` exactly as in the config file, or nullopt. Never throws.
std::optional<LogLevel> parse_log_level(std::string_view name) noexcept;

/// Every key the config file accepts, dotted ("daemon.log_level", ...), in schema order.
/// Throws std::bad_alloc only (the first call builds the list).
std::span<const std::string> config_keys();

/// Parses and validates a config file's text; `source` names it in error messages.
/// Throws Error("config_invalid", "<source>:<line>:<col>: <what>").
Config parse_config(std::string_view toml_text, const std::string& source);

/// A missing file yields defaults. Throws as parse_config, or Error("config_invalid", "<path>: ...").
Config load_config(const std::filesystem::path& path);

}  // namespace growth
