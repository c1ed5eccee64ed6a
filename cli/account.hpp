#pragma once
// `growthctl account add|list|show|remove|test`: accounts and their imported credentials.

#include <CLI/CLI.hpp>

#include <cstdint>
#include <string>

#include "cli/global_options.hpp"
#include "core/rpc/json.hpp"

namespace growth::cli {

/// Registers the `account` verb and its subcommands. Throws nothing at registration time.
void add_account_command(CLI::App& app, const GlobalOptions& global, int& exit_code);

/// The secret in `path` without its final line break(s). Throws Failure(usage, "bad_input")
/// naming `flag` and the file when it cannot be read. Never puts the secret in a message.
std::string read_secret_file(const std::string& path, const std::string& flag);

/// The secret read from `fd` (closed afterwards) without its final line break(s), at most 64 KiB.
/// Throws Failure(usage, "bad_input") "cannot read WHAT: why". Never puts the secret in a message.
std::string read_secret_fd(int fd, const std::string& what);

/// The human table of an account.list result, lines ending in '\n'. Throws std::bad_alloc.
/// A Unix-ms instant as local "YYYY-MM-DD HH:MM ZONE". Throws std::bad_alloc.
std::string local_time(std::int64_t unix_ms);

std::string format_account_list(const rpc::Json& result);

/// The human rendering of an account.show (or account.add) result. Throws std::bad_alloc.
std::string format_account(const rpc::Json& account);

}  // namespace growth::cli
