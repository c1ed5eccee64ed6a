// parse_config: defaults, every accepted value, and the exact text of every kind of error.

#include <doctest/doctest.h>

#include <string>

#include "core/config/config.hpp"
#include "core/error.hpp"

using growth::Config;
using growth::LogLevel;
using growth::parse_config;

namespace {

// The config_invalid message parse_config throws for `text`, or "" when it accepts it.
std::string error_for(const std::string& text) {
    try {
        (void)parse_config(text, "config.toml");
    } catch (const growth::Error& e) {
        CHECK(e.kind() == "config_invalid");
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("config: an empty file yields the defaults") {
    const Config c = parse_config("", "config.toml");
    CHECK(c.log_level == LogLevel::info);
    CHECK(c.max_connections == 64);
}

TEST_CASE("config: an empty [daemon] table yields the defaults") {
    const Config c = parse_config("[daemon]\n", "config.toml");
    CHECK(c.log_level == LogLevel::info);
    CHECK(c.max_connections == 64);
}

TEST_CASE("config: every key is read") {
    const Config c =
        parse_config("[daemon]\nlog_level = \"debug\"\nmax_connections = 10\n", "config.toml");
    CHECK(c.log_level == LogLevel::debug);
    CHECK(c.max_connections == 10);
}

TEST_CASE("config: dotted keys and inline tables are the same keys") {
    CHECK(parse_config("daemon.log_level = \"error\"\n", "c").log_level == LogLevel::error);
    CHECK(parse_config("daemon = { max_connections = 7 }\n", "c").max_connections == 7);
}

TEST_CASE("config: every log level spelling is accepted and round-trips") {
    for (const char* name : {"debug", "info", "notice", "warning", "error"}) {
        CAPTURE(name);
        const Config c = parse_config(std::string("[daemon]\nlog_level = \"") + name + "\"\n", "c");
        CHECK(growth::to_string(c.log_level) == name);
        CHECK(growth::parse_log_level(name) == c.log_level);
    }
    CHECK_FALSE(growth::parse_log_level("DEBUG").has_value());
}

TEST_CASE("config: max_connections accepts both ends of its range") {
    CHECK(parse_config("[daemon]\nmax_connections = 1\n", "c").max_connections == 1);
    CHECK(parse_config("[daemon]\nmax_connections = 4096\n", "c").max_connections == 4096);
}

TEST_CASE("config: an unknown key in a table names it, its position, and the near key") {
    CHECK(error_for("[daemon]\nlog_levl = \"debug\"\n") ==
          "config.toml:2:1: unknown key \"log_levl\" in [daemon]; did you mean \"log_level\"?");
}

TEST_CASE("config: an abbreviated key suggests the full one") {
    CHECK(error_for("[daemon]\n  max_conn = 5\n") ==
          "config.toml:2:3: unknown key \"max_conn\" in [daemon]; did you mean \"max_connections\"?");
}

TEST_CASE("config: an unknown key with nothing near gets no suggestion") {
    CHECK(error_for("[daemon]\nzzz = 1\n") == "config.toml:2:1: unknown key \"zzz\" in [daemon]");
}

TEST_CASE("config: an unknown table names it and the near table") {
    CHECK(error_for("[deamon]\nx = 1\n") ==
          "config.toml:1:2: unknown table [deamon]; did you mean [daemon]?");
}

TEST_CASE("config: an unknown table with nothing near gets no suggestion") {
    CHECK(error_for("\n[accounts]\n") == "config.toml:2:2: unknown table [accounts]");
}

TEST_CASE("config: a known key outside its table says where it belongs") {
    CHECK(error_for("log_level = \"debug\"\n") ==
          "config.toml:1:1: unknown top-level key \"log_level\"; it belongs in the [daemon] table");
}

TEST_CASE("config: a sub-table of [daemon] is an unknown key") {
    CHECK(error_for("[daemon.sub]\n") == "config.toml:1:9: unknown key \"sub\" in [daemon]");
}

TEST_CASE("config: [daemon] that is not a table is a type error") {
    CHECK(error_for("daemon = 5\n") == "config.toml:1:10: daemon must be a table, got an integer");
    CHECK(error_for("[[daemon]]\n") == "config.toml:1:1: daemon must be a table, got an array");
}

TEST_CASE("config: log_level of the wrong type") {
    CHECK(error_for("[daemon]\nlog_level = 3\n") ==
          "config.toml:2:13: daemon.log_level must be a string, got an integer");
}

TEST_CASE("config: log_level that is no level lists the levels") {
    CHECK(error_for("[daemon]\nlog_level = \"verbose\"\n") ==
          "config.toml:2:13: daemon.log_level must be one of \"debug\", \"info\", \"notice\", "
          "\"warning\", \"error\", got \"verbose\"");
}

TEST_CASE("config: log_level close to a level suggests it") {
    CHECK(error_for("[daemon]\nlog_level = \"warn\"\n") ==
          "config.toml:2:13: daemon.log_level must be one of \"debug\", \"info\", \"notice\", "
          "\"warning\", \"error\", got \"warn\"; did you mean \"warning\"?");
}

TEST_CASE("config: max_connections of the wrong type") {
    CHECK(error_for("[daemon]\nmax_connections = 64.0\n") ==
          "config.toml:2:19: daemon.max_connections must be an integer, got a floating-point number");
    CHECK(error_for("[daemon]\nmax_connections = \"64\"\n") ==
          "config.toml:2:19: daemon.max_connections must be an integer, got a string");
}

TEST_CASE("config: max_connections below the range") {
    CHECK(error_for("[daemon]\nmax_connections = 0\n") ==
          "config.toml:2:19: daemon.max_connections must be between 1 and 4096, got 0");
}

TEST_CASE("config: max_connections above the range, even beyond int") {
    CHECK(error_for("[daemon]\nmax_connections = 4097\n") ==
          "config.toml:2:19: daemon.max_connections must be between 1 and 4096, got 4097");
    CHECK(error_for("[daemon]\nmax_connections = 99999999999\n") ==
          "config.toml:2:19: daemon.max_connections must be between 1 and 4096, got 99999999999");
}

TEST_CASE("config: of several problems the first in the file is reported") {
    // toml++ keeps keys sorted; the report must follow the file, not the map.
    CHECK(error_for("[daemon]\nzzz = 1\nlog_level = 1\n") ==
          "config.toml:2:1: unknown key \"zzz\" in [daemon]");
    CHECK(error_for("[daemon]\nmax_connections = 0\nlog_level = 1\n") ==
          "config.toml:2:19: daemon.max_connections must be between 1 and 4096, got 0");
}

TEST_CASE("config: a TOML syntax error is reported as source:line:col") {
    CHECK(error_for("[daemon]\nlog_level = \n") ==
          "config.toml:2:13: Error while parsing key-value pair: expected value, saw '\\n'");
    CHECK(error_for("[daemon]\nlog_level = ") ==
          "config.toml:2:13: Error while parsing key-value pair: encountered end-of-file");
}

TEST_CASE("config: a key defined twice is a syntax error with its position") {
    CHECK(error_for("[daemon]\nlog_level = \"debug\"\nlog_level = \"info\"\n") ==
          "config.toml:3:13: Error while parsing key-value pair: cannot redefine existing string "
          "'log_level'");
}

TEST_CASE("config: a key with control characters is quoted on one line") {
    CHECK(error_for("\"a\\nb\" = 1\n") == "config.toml:1:1: unknown top-level key \"a\\u000Ab\"");
}

TEST_CASE("config: the source name given is the one in the message") {
    try {
        (void)parse_config("[daemon]\nlog_level = 1\n", "/home/u/.config/growth/config.toml");
        FAIL("accepted");
    } catch (const growth::Error& e) {
        CHECK(std::string(e.what()) ==
              "/home/u/.config/growth/config.toml:2:13: daemon.log_level must be a string, got an "
              "integer");
    }
}

TEST_CASE("config: the key list names every accepted key") {
    const auto keys = growth::config_keys();
    REQUIRE(keys.size() == 59);
    CHECK(keys[0] == "daemon.log_level");
    CHECK(keys[1] == "daemon.max_connections");
    CHECK(keys[2] == "limits.max_response_bytes");
    CHECK(keys[7] == "limits.max_transfers_per_account");
    CHECK(keys[8] == "schedule.zone");
    CHECK(keys[9] == "schedule.catch_up");
    CHECK(keys[10] == "budgets.x");
    CHECK(keys[16] == "budgets.bluesky");
    CHECK(keys[17] == "hooks.on_published");
    CHECK(keys[21] == "hooks.on_needs_auth");
    CHECK(keys[22] == "platforms.x.client_id");
    CHECK(keys[35] == "platforms.linkedin.redirect_port");
    CHECK(keys[58] == "platforms.mastodon.redirect_port");
}

TEST_CASE("config: [platforms.NAME] holds the login app, checked and named in errors") {
    const Config c = parse_config("[platforms.x]\nclient_id = \"abc\"\nredirect_port = 0\n"
                                  "scopes = \"tweet.read users.read\"\n"
                                  "[platforms.linkedin]\nclient_id = \"li\"\nclient_secret = \"s\"\n"
                                  "token_url = \"http://127.0.0.1:9/token\"\n",
                                  "config.toml");
    REQUIRE(c.apps.count(growth::Platform::x) == 1);
    CHECK(c.apps.at(growth::Platform::x).client_id == "abc");
    CHECK(c.apps.at(growth::Platform::x).redirect_port == 0);
    CHECK(c.apps.at(growth::Platform::x).scopes == "tweet.read users.read");
    CHECK(c.apps.at(growth::Platform::linkedin).client_secret == "s");
    CHECK(c.apps.at(growth::Platform::linkedin).token_url == "http://127.0.0.1:9/token");
    CHECK_FALSE(c.apps.at(growth::Platform::linkedin).redirect_port.has_value());

    const auto refused = [](const char* text) {
        try {
            parse_config(text, "c.toml");
        } catch (const growth::Error& e) {
            CHECK(e.kind() == "config_invalid");
            return std::string(e.what());
        }
        FAIL("accepted: " << text);
        return std::string();
    };
    CHECK(refused("[platforms.x]\nredirect_port = 70000\n") ==
          "c.toml:2:17: platforms.x.redirect_port must be between 0 (any free port) and 65535, got 70000");
    CHECK(refused("[platforms.x]\ntoken_url = \"ftp://h/t\"\n") ==
          "c.toml:2:13: platforms.x.token_url must be an http:// or https:// URL, got \"ftp://h/t\"");
    CHECK(refused("[platforms.x]\nclient_id = \"a b\"\n") == "c.toml:2:13: platforms.x.client_id must not hold a space");
    CHECK(refused("[platforms.x]\nclient_idd = \"a\"\n") ==
          "c.toml:2:1: unknown key \"client_idd\" in [platforms.x]; did you mean \"client_id\"?");
    CHECK(refused("[platforms.bluesky]\nclient_id = \"a\"\n") ==
          "c.toml:1:12: [platforms.bluesky]: bluesky logs in with an app password (atproto OAuth is not supported "
          "yet); there is nothing to configure here (only \"x\", \"linkedin\", \"facebook\", \"instagram\", "
          "\"threads\", \"mastodon\")");
    CHECK(refused("[platforms.mastodon]\nclient_id = \"a\"\n") ==
          "c.toml:2:1: unknown key \"client_id\" in [platforms.mastodon]: growth registers its app on each "
          "instance at login; only \"scopes\" and \"redirect_port\" are set here");
    CHECK(refused("[platforms.linkdin]\n") == "c.toml:1:12: unknown platform \"linkdin\" in [platforms]; did you mean \"linkedin\"?");
    CHECK(refused("[platforms.twitter]\n") == "c.toml:1:12: unknown platform \"twitter\" in [platforms]; did you mean \"x\"?");
    CHECK(refused("[platforms]\nx = 1\n") == "c.toml:2:5: platforms.x must be a table, got an integer");
}

TEST_CASE("config: [schedule] zone and catch_up are checked and named in errors") {
    const Config c = parse_config("[schedule]\nzone = \"America/New_York\"\ncatch_up = \"2h\"\n", "config.toml");
    CHECK(c.schedule_zone == "America/New_York");
    CHECK(c.catch_up_ms == 2 * 3600 * 1000);
    CHECK(Config{}.catch_up_ms == 15 * 60 * 1000);
    CHECK(error_for("[schedule]\nzone = \"Europe/Berln\"\n").find("config.toml:2:8: schedule.zone: unknown time zone") == 0);
    CHECK(error_for("[schedule]\nzone = \"Europe/Berln\"\n").find("Europe/Berlin") != std::string::npos);
    CHECK(error_for("[schedule]\ncatch_up = 15\n") ==
          "config.toml:2:12: schedule.catch_up must be a duration such as \"15m\", got an integer");
    CHECK(error_for("[schedule]\ncatch_up = \"8d\"\n") == "config.toml:2:12: schedule.catch_up must be at most 7 days, got \"8d\"");
    CHECK(error_for("[schedule]\ncatch_up = \"soon\"\n").find("config.toml:2:12: schedule.catch_up: ") == 0);
    CHECK(error_for("[schedul]\nzone = \"UTC\"\n").find("did you mean") != std::string::npos);
}

TEST_CASE("config: [budgets] set, list or switch off a platform's posting budget") {
    const Config c = parse_config("[budgets]\nmastodon = \"30/1h\"\nbluesky = [\"10/1m\", \"100/1d\"]\nx = \"off\"\n",
                                  "config.toml");
    const auto at = [&c](growth::Platform p) { return c.budgets[static_cast<std::size_t>(p)]; };
    CHECK(at(growth::Platform::mastodon) == std::vector<growth::pipeline::BudgetRule>{{30, 3'600'000}});
    CHECK(at(growth::Platform::bluesky).size() == 2);
    CHECK(at(growth::Platform::x).empty());
    CHECK(at(growth::Platform::threads) == growth::pipeline::default_budgets()[static_cast<std::size_t>(growth::Platform::threads)]);
    CHECK(error_for("[budgets]\nmastodon = 300\n") ==
          "config.toml:2:12: budgets.mastodon must be \"COUNT/DURATION\", a list of them, or \"off\"; got an integer");
    CHECK(error_for("[budgets]\nx = \"100\"\n").find("config.toml:2:5: budgets.x: '100' is not a budget") == 0);
    CHECK(error_for("[budgets]\nmastodn = \"1/1h\"\n").find("did you mean") != std::string::npos);
}

TEST_CASE("config: [limits] keys are read, range-checked and named in errors") {
    const Config c = parse_config("[limits]\nmax_response_bytes = 65536\nmax_json_depth = 16\n"
                                  "max_post_bytes = 2048\nmax_parts = 3\nmax_owed_replies = 1\n"
                                  "max_transfers_per_account = 64\n",
                                  "config.toml");
    CHECK(c.max_response_bytes == 65536);
    CHECK(c.max_json_depth == 16);
    CHECK(c.max_post_bytes == 2048);
    CHECK(c.max_parts == 3);
    CHECK(c.max_owed_replies == 1);
    CHECK(c.max_transfers_per_account == 64);
    CHECK(error_for("[limits]\nmax_parts = 0\n") ==
          "config.toml:2:13: limits.max_parts must be between 1 and 1000, got 0");
    CHECK(error_for("[limits]\nmax_json_depth = \"deep\"\n") ==
          "config.toml:2:18: limits.max_json_depth must be an integer, got a string");
    CHECK(error_for("[limits]\nmax_part = 3\n") ==
          "config.toml:2:1: unknown key \"max_part\" in [limits]; did you mean \"max_parts\"?");
}
