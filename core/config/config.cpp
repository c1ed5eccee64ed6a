#include "core/config/config.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "core/did_you_mean.hpp"
#include "core/error.hpp"
#include "core/time/when.hpp"

namespace growth {

namespace {

constexpr std::array<std::string_view, 5> level_names = {"debug", "info", "notice", "warning",
                                                         "error"};
constexpr std::int64_t max_connections_min = 1;
constexpr std::int64_t max_connections_max = 4096;

// A problem found while validating; the one earliest in the file is reported.
struct Problem {
    toml::source_position at;
    std::string what;
};

// What a key's value must be, and where a valid value goes.
struct KeySpec {
    std::string_view table;
    std::string_view key;
    // Stores the value into config, or returns why it is not valid.
    std::optional<std::string> (*apply)(const toml::node& value, Config& config);
};

// Messages are one line whatever a key contains: control characters and quotes are escaped.
std::string quote(std::string_view s) {
    std::string out = "\"";
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += ch;
        } else if (c < 0x20 || c == 0x7f) {
            out += fmt::format("\\u{:04X}", c);
        } else {
            out += ch;
        }
    }
    return out + "\"";
}

std::string_view a_type(toml::node_type t) {
    switch (t) {
        case toml::node_type::table: return "a table";
        case toml::node_type::array: return "an array";
        case toml::node_type::string: return "a string";
        case toml::node_type::integer: return "an integer";
        case toml::node_type::floating_point: return "a floating-point number";
        case toml::node_type::boolean: return "a boolean";
        case toml::node_type::date: return "a date";
        case toml::node_type::time: return "a time";
        case toml::node_type::date_time: return "a date-time";
        case toml::node_type::none: break;
    }
    return "nothing";
}

std::string list_of(std::span<const std::string_view> names) {
    std::string out;
    for (std::string_view n : names) {
        if (!out.empty()) out += ", ";
        out += quote(n);
    }
    return out;
}

std::optional<std::string> apply_log_level(const toml::node& value, Config& config) {
    const auto* s = value.as_string();
    if (!s) return fmt::format("daemon.log_level must be a string, got {}", a_type(value.type()));
    if (const auto level = parse_log_level(s->get())) {
        config.log_level = *level;
        return std::nullopt;
    }
    std::string why = fmt::format("daemon.log_level must be one of {}, got {}", list_of(level_names),
                                  quote(s->get()));
    if (const auto near = did_you_mean(s->get(), level_names)) {
        why += fmt::format("; did you mean {}?", quote(*near));
    }
    return why;
}

std::optional<std::string> apply_max_connections(const toml::node& value, Config& config) {
    const auto* i = value.as_integer();
    if (!i) {
        return fmt::format("daemon.max_connections must be an integer, got {}",
                           a_type(value.type()));
    }
    const std::int64_t n = i->get();
    if (n < max_connections_min || n > max_connections_max) {
        return fmt::format("daemon.max_connections must be between {} and {}, got {}",
                           max_connections_min, max_connections_max, n);
    }
    config.max_connections = static_cast<int>(n);
    return std::nullopt;
}

// An integer key of [limits] stored in `field`, valid from `min` to `max`.
template <typename T, T Config::*field, std::int64_t min, std::int64_t max>
std::optional<std::string> apply_limit(const toml::node& value, Config& config, std::string_view key) {
    const auto* i = value.as_integer();
    if (!i) return fmt::format("limits.{} must be an integer, got {}", key, a_type(value.type()));
    const std::int64_t n = i->get();
    if (n < min || n > max) {
        return fmt::format("limits.{} must be between {} and {}, got {}", key, min, max, n);
    }
    config.*field = static_cast<T>(n);
    return std::nullopt;
}

std::optional<std::string> apply_zone(const toml::node& value, Config& config) {
    const auto* s = value.as_string();
    if (!s) return fmt::format("schedule.zone must be a string, got {}", a_type(value.type()));
    try {
        timeexpr::find_zone(s->get());
    } catch (const Error& e) {
        return fmt::format("schedule.zone: {}", e.what());
    }
    config.schedule_zone = s->get();
    return std::nullopt;
}

std::optional<std::string> apply_catch_up(const toml::node& value, Config& config) {
    const auto* s = value.as_string();
    if (!s) return fmt::format("schedule.catch_up must be a duration such as \"15m\", got {}", a_type(value.type()));
    try {
        const auto d = timeexpr::parse_duration(s->get());
        if (d > std::chrono::hours(24 * 7)) return fmt::format("schedule.catch_up must be at most 7 days, got {}", quote(s->get()));
        config.catch_up_ms = std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
    } catch (const Error& e) {
        return fmt::format("schedule.catch_up: {}", e.what());
    }
    return std::nullopt;
}

// [budgets] PLATFORM = "N/DURATION" | ["N/DURATION", ...] | "off".
template <Platform p>
std::optional<std::string> apply_budget(const toml::node& value, Config& config) {
    const std::string key = fmt::format("budgets.{}", platform_name(p));
    std::vector<pipeline::BudgetRule> rules;
    auto add = [&](const toml::node& n) -> std::optional<std::string> {
        const auto* s = n.as_string();
        if (!s) return fmt::format("{} must be \"COUNT/DURATION\", a list of them, or \"off\"; got {}", key, a_type(n.type()));
        if (s->get() == "off") return std::nullopt;
        try {
            rules.push_back(pipeline::parse_budget_rule(s->get()));
        } catch (const Error& e) {
            return fmt::format("{}: {}", key, e.what());
        }
        return std::nullopt;
    };
    if (const auto* list = value.as_array()) {
        if (list->size() > 8) return fmt::format("{} may hold at most 8 budgets, got {}", key, list->size());
        for (const auto& n : *list) {
            if (auto problem = add(n)) return problem;
        }
    } else if (auto problem = add(value)) {
        return problem;
    }
    config.budgets[static_cast<std::size_t>(p)] = std::move(rules);
    return std::nullopt;
}

constexpr std::array<std::string_view, 5> hook_states = {"published", "failed", "unknown", "missed", "needs_auth"};

// [hooks] on_STATE = "command": run with sh -c when a post settles in STATE.
template <std::size_t n>
std::optional<std::string> apply_hook(const toml::node& value, Config& config) {
    const auto* s = value.as_string();
    if (!s) return fmt::format("hooks.on_{} must be a command line (a string), got {}", hook_states[n], a_type(value.type()));
    if (s->get().find('\0') != std::string::npos) return fmt::format("hooks.on_{} must not hold a NUL byte", hook_states[n]);
    config.hooks[std::string(hook_states[n])] = s->get();
    return std::nullopt;
}

// [platforms.NAME] string keys of the login app (core/oauth/app.hpp). URLs must be http(s);
// no value may hold a control character or a space (scopes excepted: space separated).
template <Platform p, std::string oauth::ConfiguredApp::*field, bool is_url, bool spaces>
std::optional<std::string> apply_app_text(const toml::node& value, Config& config, std::string_view key) {
    const std::string dotted = fmt::format("platforms.{}.{}", platform_name(p), key);
    const auto* s = value.as_string();
    if (!s) return fmt::format("{} must be a string, got {}", dotted, a_type(value.type()));
    const std::string& v = s->get();
    if (v.size() > 2048) return fmt::format("{} is longer than 2048 bytes", dotted);
    for (char ch : v) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x20 || c == 0x7f || (c == ' ' && !spaces)) {
            return fmt::format("{} must not hold {}", dotted, c == ' ' ? "a space" : "a control character");
        }
    }
    if (is_url && !v.empty() && v.rfind("https://", 0) != 0 && v.rfind("http://", 0) != 0) {
        return fmt::format("{} must be an http:// or https:// URL, got {}", dotted, quote(v));
    }
    config.apps[p].*field = v;
    return std::nullopt;
}

template <Platform p>
std::optional<std::string> apply_app_port(const toml::node& value, Config& config) {
    const std::string dotted = fmt::format("platforms.{}.redirect_port", platform_name(p));
    const auto* i = value.as_integer();
    if (!i) return fmt::format("{} must be an integer, got {}", dotted, a_type(value.type()));
    if (i->get() < 0 || i->get() > 65535) {
        return fmt::format("{} must be between 0 (any free port) and 65535, got {}", dotted, i->get());
    }
    config.apps[p].redirect_port = static_cast<int>(i->get());
    return std::nullopt;
}

#define GROWTH_APP(platform, name, key, is_url, spaces)                                              \
    {"platforms." name, #key, [](const toml::node& v, Config& c) {                                  \
         return apply_app_text<Platform::platform, &oauth::ConfiguredApp::key, is_url, spaces>(v, c, #key); \
     }}
#define GROWTH_APP_TABLE(platform, name)                                                             \
    GROWTH_APP(platform, name, client_id, false, false),                                             \
    GROWTH_APP(platform, name, client_secret, false, false),                                         \
    GROWTH_APP(platform, name, authorize_url, true, false),                                          \
    GROWTH_APP(platform, name, token_url, true, false),                                              \
    GROWTH_APP(platform, name, scopes, false, true),                                                 \
    GROWTH_APP(platform, name, api_base, true, false),                                               \
    {"platforms." name, "redirect_port", apply_app_port<Platform::platform>}

#define GROWTH_LIMIT(type, name, min, max)                                                  \
    {"limits", #name, [](const toml::node& v, Config& c) {                                  \
         return apply_limit<type, &Config::name, min, max>(v, c, #name);                    \
     }}

constexpr std::int64_t mib = 1024 * 1024;
constexpr std::array<KeySpec, 59> schema = {{
    {"daemon", "log_level", apply_log_level},
    {"daemon", "max_connections", apply_max_connections},
    GROWTH_LIMIT(std::int64_t, max_response_bytes, 64 * 1024, 1024 * mib),
    GROWTH_LIMIT(int, max_json_depth, 16, 10000),
    GROWTH_LIMIT(std::int64_t, max_post_bytes, 1024, 16 * mib),
    GROWTH_LIMIT(int, max_parts, 1, 1000),
    GROWTH_LIMIT(int, max_owed_replies, 1, 1'000'000),
    GROWTH_LIMIT(int, max_transfers_per_account, 1, 64),
    {"schedule", "zone", apply_zone},
    {"schedule", "catch_up", apply_catch_up},
    {"budgets", "x", apply_budget<Platform::x>},
    {"budgets", "linkedin", apply_budget<Platform::linkedin>},
    {"budgets", "facebook", apply_budget<Platform::facebook>},
    {"budgets", "instagram", apply_budget<Platform::instagram>},
    {"budgets", "threads", apply_budget<Platform::threads>},
    {"budgets", "mastodon", apply_budget<Platform::mastodon>},
    {"budgets", "bluesky", apply_budget<Platform::bluesky>},
    {"hooks", "on_published", apply_hook<0>},
    {"hooks", "on_failed", apply_hook<1>},
    {"hooks", "on_unknown", apply_hook<2>},
    {"hooks", "on_missed", apply_hook<3>},
    {"hooks", "on_needs_auth", apply_hook<4>},
    GROWTH_APP_TABLE(x, "x"),
    GROWTH_APP_TABLE(linkedin, "linkedin"),
    GROWTH_APP_TABLE(facebook, "facebook"),
    GROWTH_APP_TABLE(instagram, "instagram"),
    GROWTH_APP_TABLE(threads, "threads"),
    // Mastodon: an app is registered on each instance at its first login; only these are set.
    GROWTH_APP(mastodon, "mastodon", scopes, false, true),
    {"platforms.mastodon", "redirect_port", apply_app_port<Platform::mastodon>},
}};
#undef GROWTH_LIMIT
#undef GROWTH_APP_TABLE
#undef GROWTH_APP
constexpr std::array<std::string_view, 6> table_names = {"daemon", "limits", "schedule", "budgets", "hooks",
                                                         "platforms"};
// The platforms `account login` drives: [platforms.NAME] tables (core/oauth/app.hpp).
constexpr std::array<std::string_view, 6> login_platforms = {"x", "linkedin", "facebook", "instagram", "threads",
                                                            "mastodon"};

std::vector<std::string_view> keys_of(std::string_view table) {
    std::vector<std::string_view> keys;
    for (const KeySpec& k : schema) {
        if (k.table == table) keys.push_back(k.key);
    }
    return keys;
}

const KeySpec* find_spec(std::string_view table, std::string_view key) {
    for (const KeySpec& k : schema) {
        if (k.table == table && k.key == key) return &k;
    }
    return nullptr;
}

void check_table(std::string_view name, const toml::table& table, Config& config,
                 std::vector<Problem>& problems) {
    const std::vector<std::string_view> keys = keys_of(name);
    for (auto&& [key, value] : table) {
        const KeySpec* spec = find_spec(name, key.str());
        if (!spec) {
            std::string what = fmt::format("unknown key {} in [{}]", quote(key.str()), name);
            if (name == "platforms.mastodon") {
                what += ": growth registers its app on each instance at login; only \"scopes\" and "
                        "\"redirect_port\" are set here";
            } else if (const auto near = did_you_mean(key.str(), keys)) {
                what += fmt::format("; did you mean {}?", quote(*near));
            }
            problems.push_back({key.source().begin, std::move(what)});
        } else if (auto why = spec->apply(value, config)) {
            problems.push_back({value.source().begin, std::move(*why)});
        }
    }
}

// A key at the top level: a known key put outside its table is the likely mistake.
std::string unknown_top_level(std::string_view key, bool is_table) {
    if (is_table) {
        std::string what = fmt::format("unknown table [{}]", key);
        if (const auto near = did_you_mean(key, table_names)) {
            what += fmt::format("; did you mean [{}]?", *near);
        }
        return what;
    }
    std::string what = fmt::format("unknown top-level key {}", quote(key));
    for (const KeySpec& k : schema) {
        if (k.key == key) return what + fmt::format("; it belongs in the [{}] table", k.table);
    }
    if (const auto near = did_you_mean(key, table_names)) {
        what += fmt::format("; did you mean [{}]?", *near);
    }
    return what;
}

// [platforms]: one sub-table per platform `account login` drives.
void check_platforms(const toml::table& table, Config& config, std::vector<Problem>& problems) {
    for (auto&& [key, value] : table) {
        const std::string name(key.str());
        const bool known = std::find(login_platforms.begin(), login_platforms.end(), name) != login_platforms.end();
        if (!known) {
            std::string what;
            if (parse_platform(name)) {
                what = fmt::format("[platforms.{}]: {} logs in with an app password (atproto OAuth is not "
                                   "supported yet); there is nothing to configure here (only {})",
                                   name, name, list_of(login_platforms));
            } else {
                what = fmt::format("unknown platform {} in [platforms]", quote(name));
                if (const std::string guess = suggest_platform(name); !guess.empty()) {
                    what += fmt::format("; did you mean {}?", quote(guess));
                } else if (const auto near = did_you_mean(name, login_platforms)) {
                    what += fmt::format("; did you mean {}?", quote(*near));
                }
            }
            problems.push_back({key.source().begin, std::move(what)});
        } else if (const toml::table* t = value.as_table()) {
            check_table(std::string("platforms.") + name, *t, config, problems);
        } else {
            problems.push_back({value.source().begin, fmt::format("platforms.{} must be a table, got {}", name,
                                                                  a_type(value.type()))});
        }
    }
}

bool earlier(const Problem& a, const Problem& b) {
    return a.at.line != b.at.line ? a.at.line < b.at.line : a.at.column < b.at.column;
}

}  // namespace

std::string_view to_string(LogLevel level) noexcept {
    return level_names[static_cast<std::size_t>(level)];
}

std::optional<LogLevel> parse_log_level(std::string_view name) noexcept {
    for (std::size_t i = 0; i < level_names.size(); ++i) {
        if (level_names[i] == name) return static_cast<LogLevel>(i);
    }
    return std::nullopt;
}

std::span<const std::string> config_keys() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> out;
        for (const KeySpec& k : schema) out.push_back(std::string(k.table) + "." + std::string(k.key));
        return out;
    }();
    return names;
}

Config parse_config(std::string_view toml_text, const std::string& source) {
    toml::table root;
    try {
        root = toml::parse(toml_text, source);
    } catch (const toml::parse_error& e) {
        std::string what(e.description());
        std::replace(what.begin(), what.end(), '\n', ' ');
        throw Error("config_invalid", fmt::format("{}:{}:{}: {}", source, e.source().begin.line,
                                                  e.source().begin.column, what));
    }

    Config config;
    std::vector<Problem> problems;
    for (auto&& [key, value] : root) {
        const bool known = std::find(table_names.begin(), table_names.end(), key.str()) !=
                           table_names.end();
        if (!known) {
            problems.push_back({key.source().begin, unknown_top_level(key.str(), value.is_table())});
        } else if (const toml::table* platforms = value.as_table(); platforms && key.str() == "platforms") {
            check_platforms(*platforms, config, problems);
        } else if (const toml::table* t = value.as_table()) {
            check_table(key.str(), *t, config, problems);
        } else {
            problems.push_back({value.source().begin,
                                fmt::format("{} must be a table, got {}", key.str(),
                                            a_type(value.type()))});
        }
    }
    if (!problems.empty()) {
        const Problem& first = *std::min_element(problems.begin(), problems.end(), earlier);
        throw Error("config_invalid",
                    fmt::format("{}:{}:{}: {}", source, first.at.line, first.at.column, first.what));
    }
    return config;
}

}  // namespace growth
