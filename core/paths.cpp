#include "core/paths.hpp"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "core/error.hpp"

namespace growth::paths {

namespace {

/// An environment value that is set to an absolute path (the XDG spec says relative ones are
/// invalid and must be ignored).
const char* absolute(const EnvLookup& env, const char* name) {
    const char* value = env(name);
    return value != nullptr && value[0] == '/' ? value : nullptr;
}

std::filesystem::path home(const EnvLookup& env, const char* xdg_name) {
    const char* value = absolute(env, "HOME");
    if (value == nullptr) {
        throw Error("no_home", fmt::format("neither {} nor HOME is set to an absolute path", xdg_name));
    }
    return value;
}

}  // namespace

const EnvLookup& process_env() {
    static const EnvLookup lookup = [](const char* name) -> const char* { return std::getenv(name); };
    return lookup;
}

std::filesystem::path runtime_dir(const EnvLookup& env, uid_t uid) {
    if (const char* xdg = absolute(env, "XDG_RUNTIME_DIR")) {
        return std::filesystem::path(xdg) / "growth";
    }
    return std::filesystem::path(fmt::format("/tmp/growth-{}", uid));
}

std::filesystem::path socket_path(const EnvLookup& env, uid_t uid) {
    return runtime_dir(env, uid) / "growthd.sock";
}

std::filesystem::path data_dir(const EnvLookup& env) {
    if (const char* xdg = absolute(env, "XDG_DATA_HOME")) return std::filesystem::path(xdg) / "growth";
    return home(env, "XDG_DATA_HOME") / ".local/share/growth";
}

std::filesystem::path config_file(const EnvLookup& env) {
    if (const char* xdg = absolute(env, "XDG_CONFIG_HOME")) {
        return std::filesystem::path(xdg) / "growth/config.toml";
    }
    return home(env, "XDG_CONFIG_HOME") / ".config/growth/config.toml";
}

std::filesystem::path log_file(const EnvLookup& env) {
    if (const char* xdg = absolute(env, "XDG_STATE_HOME")) return std::filesystem::path(xdg) / "growth/growthd.log";
    return home(env, "XDG_STATE_HOME") / ".local/state/growth/growthd.log";
}

void check_private_dir(const std::filesystem::path& dir, uid_t uid) {
    struct stat st {};
    if (::lstat(dir.c_str(), &st) != 0) {
        throw Error("runtime_dir_error",
                    fmt::format("cannot examine {}: {}", dir.string(), std::strerror(errno)));
    }
    if (!S_ISDIR(st.st_mode)) {
        throw Error("runtime_dir_unsafe",
                    fmt::format("{} is not a directory (a symlink or a file); remove it: rm {}",
                                dir.string(), dir.string()));
    }
    if (st.st_uid != uid) {
        throw Error("runtime_dir_unsafe",
                    fmt::format("{} is owned by uid {}, not by you (uid {}); remove it or point "
                                "XDG_RUNTIME_DIR elsewhere",
                                dir.string(), st.st_uid, uid));
    }
    if ((st.st_mode & 077) != 0) {
        throw Error("runtime_dir_unsafe",
                    fmt::format("{} is accessible by group or others (mode {:04o}); fix it with: "
                                "chmod 700 {}",
                                dir.string(), st.st_mode & 07777, dir.string()));
    }
}

void ensure_private_dir(const std::filesystem::path& dir, uid_t uid) {
    std::error_code ec;
    if (!std::filesystem::exists(std::filesystem::symlink_status(dir, ec))) {
        // Parents first, each 0700, so nothing we create is readable by others.
        const auto parent = dir.parent_path();
        if (!parent.empty() && parent != dir && !std::filesystem::exists(parent, ec)) {
            ensure_private_dir(parent, uid);
        }
        if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
            throw Error("runtime_dir_error",
                        fmt::format("cannot create {}: {}", dir.string(), std::strerror(errno)));
        }
    }
    check_private_dir(dir, uid);
}

}  // namespace growth::paths
