#pragma once
// Starting growthd on demand when its socket is absent, as gpg-agent is started by gpg.

#include <filesystem>
#include <optional>

namespace growth::cli {

/// growthd next to the running growthctl (/proc/self/exe's directory) if it is there and
/// executable, else the first growthd on PATH; nullopt when there is none. Throws nothing beyond
/// std::bad_alloc.
std::optional<std::filesystem::path> find_growthd();

/// Runs growthd (which goes to the background itself and exits once it serves) and waits for it.
/// `socket` is passed as --socket when `explicit_socket`. Returns when the daemon serves, or when
/// another instance won the race (the caller just connects). Throws Failure(unreachable) with
/// growthd's own error message when it cannot start.
void start_daemon(const std::filesystem::path& socket, bool explicit_socket);

}  // namespace growth::cli
