// XDG paths and the runtime-directory safety checks (core/paths) the daemon relies on.
#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <string>

#include "core/error.hpp"
#include "core/paths.hpp"

namespace paths = growth::paths;
namespace fs = std::filesystem;

namespace {

paths::EnvLookup fake_env(std::map<std::string, std::string> vars) {
    return [vars = std::move(vars)](const char* name) -> const char* {
        const auto it = vars.find(name);
        return it == vars.end() ? nullptr : it->second.c_str();
    };
}

struct TempDir {
    fs::path path;
    TempDir() {
        char templ[] = "/tmp/growth-paths-test-XXXXXX";
        path = ::mkdtemp(templ);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const growth::Error& e) {
        return e.kind() + ": " + e.what();
    }
    return "<no error>";
}

}  // namespace

TEST_CASE("runtime dir is $XDG_RUNTIME_DIR/growth") {
    CHECK(paths::runtime_dir(fake_env({{"XDG_RUNTIME_DIR", "/run/user/1000"}}), 1000) ==
          "/run/user/1000/growth");
    CHECK(paths::socket_path(fake_env({{"XDG_RUNTIME_DIR", "/run/user/1000"}}), 1000) ==
          "/run/user/1000/growth/growthd.sock");
}

TEST_CASE("without XDG_RUNTIME_DIR (or with a relative one) the runtime dir is /tmp/growth-<uid>") {
    CHECK(paths::runtime_dir(fake_env({}), 1000) == "/tmp/growth-1000");
    CHECK(paths::runtime_dir(fake_env({{"XDG_RUNTIME_DIR", "run"}}), 7) == "/tmp/growth-7");
}

TEST_CASE("data dir and config file follow XDG, falling back to HOME") {
    CHECK(paths::data_dir(fake_env({{"XDG_DATA_HOME", "/d"}, {"HOME", "/h"}})) == "/d/growth");
    CHECK(paths::data_dir(fake_env({{"HOME", "/h"}})) == "/h/.local/share/growth");
    CHECK(paths::config_file(fake_env({{"XDG_CONFIG_HOME", "/c"}})) == "/c/growth/config.toml");
    CHECK(paths::config_file(fake_env({{"HOME", "/h"}})) == "/h/.config/growth/config.toml");
}

TEST_CASE("no HOME and no XDG variable is an error naming both") {
    CHECK(error_of([] { paths::data_dir(fake_env({})); }) ==
          "no_home: neither XDG_DATA_HOME nor HOME is set to an absolute path");
}

TEST_CASE("ensure_private_dir creates the directory 0700") {
    TempDir t;
    paths::ensure_private_dir(t.path / "a" / "growth");
    struct stat st {};
    REQUIRE(::stat((t.path / "a" / "growth").c_str(), &st) == 0);
    CHECK((st.st_mode & 07777) == 0700);
}

TEST_CASE("a group- or other-accessible runtime dir is refused with the chmod that fixes it") {
    TempDir t;
    const auto dir = t.path / "growth";
    fs::create_directory(dir);
    ::chmod(dir.c_str(), 0755);
    CHECK(error_of([&] { paths::check_private_dir(dir); }) ==
          "runtime_dir_unsafe: " + dir.string() +
              " is accessible by group or others (mode 0755); fix it with: chmod 700 " + dir.string());
}

TEST_CASE("a runtime dir owned by someone else is refused") {
    TempDir t;
    const auto dir = t.path / "growth";
    fs::create_directory(dir);
    ::chmod(dir.c_str(), 0700);
    const uid_t me = ::geteuid();
    CHECK(error_of([&] { paths::check_private_dir(dir, me + 1); }) ==
          "runtime_dir_unsafe: " + dir.string() + " is owned by uid " + std::to_string(me) +
              ", not by you (uid " + std::to_string(me + 1) +
              "); remove it or point XDG_RUNTIME_DIR elsewhere");
}

TEST_CASE("a symlink in place of the runtime dir is refused") {
    TempDir t;
    const auto dir = t.path / "growth";
    fs::create_directory(t.path / "real");
    fs::create_directory_symlink(t.path / "real", dir);
    CHECK(error_of([&] { paths::check_private_dir(dir); }) ==
          "runtime_dir_unsafe: " + dir.string() + " is not a directory (a symlink or a file); remove it: rm " +
              dir.string());
}
