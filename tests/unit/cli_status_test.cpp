// growthctl's rendering of daemon.status, and exit codes per error kind.
#include <doctest/doctest.h>

#include "cli/failure.hpp"
#include "cli/rpc_verb.hpp"
#include "cli/status.hpp"

using growth::ExitCode;
using growth::rpc::Json;
namespace cli = growth::cli;

TEST_CASE("uptime is shown in the two largest units") {
    CHECK(cli::format_uptime(0) == "0s");
    CHECK(cli::format_uptime(59) == "59s");
    CHECK(cli::format_uptime(192) == "3m 12s");
    CHECK(cli::format_uptime(7500) == "2h 05m");
    CHECK(cli::format_uptime(356400) == "4d 03h");
}

TEST_CASE("status renders version, protocol, pid, uptime, paths and counts") {
    const Json status = Json::parse(R"({"version":"0.1.0","protocol":"1.0","pid":42,"uptime_seconds":75,
        "data_dir":"/d/growth","socket":"/r/growth/growthd.sock","socket_activated":false,"vault":"locked",
        "counts":{"posts":2,"targets":3,"parts":5,"parts_by_state":{"draft":0,"published":4,"failed":1}}})");
    CHECK(cli::format_status(status) ==
          "growthd 0.1.0 (protocol 1.0), pid 42, up 1m 15s\n"
          "data:    /d/growth\n"
          "socket:  /r/growth/growthd.sock\n"
          "posts:   2, targets 3, parts 5 (4 published, 1 failed)\n"
          "vault:   locked: posts wait; growthctl unlock opens it\n");
}

TEST_CASE("status marks a socket-activated daemon and tolerates missing fields") {
    const Json status = Json::parse(R"({"version":"0.1.0","socket_activated":true,"socket":"/s"})");
    CHECK(cli::format_status(status) ==
          "growthd 0.1.0 (protocol ?), pid ?, up ?\n"
          "data:    ?\n"
          "socket:  /s (socket-activated)\n"
          "posts:   ?, targets ?, parts ?\n");
}

TEST_CASE("error kinds map to the exit codes of DESIGN.md section 9") {
    CHECK(cli::exit_code_for_kind("invalid_params") == ExitCode::usage);
    CHECK(cli::exit_code_for_kind("method_not_found") == ExitCode::usage);
    CHECK(cli::exit_code_for_kind("bad_input") == ExitCode::usage);
    CHECK(cli::exit_code_for_kind("vault_locked") == ExitCode::needs_login);
    CHECK(cli::exit_code_for_kind("wrong_passphrase") == ExitCode::failed);
    CHECK(cli::exit_code_for_kind("config_invalid") == ExitCode::usage);
    CHECK(cli::exit_code_for_kind("unsplittable") == ExitCode::usage);
    CHECK(cli::exit_code_for_kind("account_not_found") == ExitCode::usage);
    CHECK(cli::exit_code_for_kind("account_exists") == ExitCode::usage);
    CHECK(cli::exit_code_for_kind("account_ambiguous") == ExitCode::usage);
    CHECK(cli::exit_code_for_kind("post_not_found") == ExitCode::usage);
    CHECK(cli::exit_code_for_kind("daemon_unreachable") == ExitCode::unreachable);
    CHECK(cli::exit_code_for_kind("protocol_mismatch") == ExitCode::unreachable);
    CHECK(cli::exit_code_for_kind("partly_published") == ExitCode::partial);
    CHECK(cli::exit_code_for_kind("outcome_unknown") == ExitCode::unknown);
    CHECK(cli::exit_code_for_kind("needs_auth") == ExitCode::needs_login);
    CHECK(cli::exit_code_for_kind("store_error") == ExitCode::failed);
}

TEST_CASE("rpc PARAMS_JSON must be a JSON object") {
    CHECK(cli::parse_params_argument("").is_null());
    CHECK(cli::parse_params_argument(R"({"a":1})") == Json::parse(R"({"a":1})"));
    CHECK_THROWS_WITH(cli::parse_params_argument("[1]"),
                      "PARAMS_JSON must be a JSON object of named parameters, e.g. '{\"id\":1}'");
    CHECK_THROWS_WITH(cli::parse_params_argument("{"),
                      "PARAMS_JSON is not valid JSON: parse error at line 1, column 2: syntax error "
                      "while parsing object key - unexpected end of input; expected string literal");
}
