#pragma once
// Asking a person for a secret on their terminal: the prompt and the answer go through
// /dev/tty with echo off (restored on every way out, Ctrl-C included).

#include <optional>
#include <string>

namespace growth::cli {

/// True when stdin is a terminal (a person can be asked). Throws nothing.
bool stdin_is_terminal() noexcept;

/// Prints `prompt` on /dev/tty and reads one line there without echo. nullopt when there is
/// no terminal. Throws Failure(usage, "bad_input") when the line is longer than 64 KiB,
/// Failure(interrupted) on Ctrl-C or end of input.
std::optional<std::string> read_hidden(const std::string& prompt);

}  // namespace growth::cli
