#pragma once
// Where growth keeps things, following the XDG base directory specification, and the checks
// that make the runtime directory safe to put the daemon's socket in.

#include <sys/types.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <string>

namespace growth::paths {

/// Looks up an environment variable; returns nullptr when unset. Tests pass a fake.
using EnvLookup = std::function<const char*(const char*)>;

/// The real environment (::getenv).
const EnvLookup& process_env();

/// The runtime directory growth uses: $XDG_RUNTIME_DIR/growth when XDG_RUNTIME_DIR is set to an
/// absolute path, else /tmp/growth-<uid> (as tmux does). Pure: touches no file. Throws nothing
/// beyond std::bad_alloc.
std::filesystem::path runtime_dir(const EnvLookup& env = process_env(), uid_t uid = ::geteuid());

/// The default socket: runtime_dir()/growthd.sock. Pure.
std::filesystem::path socket_path(const EnvLookup& env = process_env(), uid_t uid = ::geteuid());

/// $XDG_DATA_HOME/growth, else $HOME/.local/share/growth. Throws Error("no_home", ...) when neither
/// XDG_DATA_HOME nor HOME is set to an absolute path. Pure.
std::filesystem::path data_dir(const EnvLookup& env = process_env());

/// $XDG_CONFIG_HOME/growth/config.toml, else $HOME/.config/growth/config.toml. Throws as data_dir.
std::filesystem::path config_file(const EnvLookup& env = process_env());

/// growthd's log when growthctl starts it in the background: $XDG_STATE_HOME/growth/growthd.log,
/// else $HOME/.local/state/growth/growthd.log. Throws as data_dir. Pure.
std::filesystem::path log_file(const EnvLookup& env = process_env());

/// Checks that `dir` is a real directory (not a symlink) owned by `uid` with no group or other
/// permission bits. Throws Error("runtime_dir_unsafe", message) otherwise; the message names the
/// directory, what is wrong and the command that fixes it. Throws Error("runtime_dir_error", ...)
/// when it cannot be examined.
void check_private_dir(const std::filesystem::path& dir, uid_t uid = ::geteuid());

/// Creates `dir` with mode 0700 when it does not exist (parents are created 0700 too), then
/// applies check_private_dir. Throws as check_private_dir, or Error("runtime_dir_error", ...) when
/// it cannot be created.
void ensure_private_dir(const std::filesystem::path& dir, uid_t uid = ::geteuid());

}  // namespace growth::paths
