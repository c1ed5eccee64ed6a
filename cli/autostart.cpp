#include "cli/autostart.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "cli/failure.hpp"

extern char** environ;

namespace growth::cli {

namespace {

bool executable(const std::filesystem::path& p) {
    std::error_code ec;
    return std::filesystem::is_regular_file(p, ec) && ::access(p.c_str(), X_OK) == 0;
}

/// The last non-empty line growthd wrote, without its "growthd: error: " prefix.
std::string last_message(const std::string& output) {
    std::string text = output;
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    const auto newline = text.rfind('\n');
    if (newline != std::string::npos) text.erase(0, newline + 1);
    for (std::string_view prefix : {"growthd: error: ", "growthd: "}) {
        if (text.rfind(prefix, 0) == 0) {
            text.erase(0, prefix.size());
            break;
        }
    }
    return text;
}

}  // namespace

std::optional<std::filesystem::path> find_growthd() {
    std::error_code ec;
    const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        const auto beside = self.parent_path() / "growthd";
        if (executable(beside)) return beside;
    }
    const char* path = std::getenv("PATH");
    if (path == nullptr) return std::nullopt;
    std::string_view rest(path);
    while (!rest.empty() || path[0] == '\0') {
        const auto colon = rest.find(':');
        const std::string dir(rest.substr(0, colon));
        const auto candidate = std::filesystem::path(dir.empty() ? "." : dir) / "growthd";
        if (executable(candidate)) return candidate;
        if (colon == std::string_view::npos) break;
        rest.remove_prefix(colon + 1);
    }
    return std::nullopt;
}

void start_daemon(const std::filesystem::path& socket, bool explicit_socket) {
    const auto growthd = find_growthd();
    if (!growthd) {
        throw Failure(ExitCode::unreachable, "daemon_unreachable",
                      "growthd is not running and cannot be started: no growthd next to "
                      "growthctl or on PATH",
                      "install growthd, or start it yourself");
    }
    std::vector<std::string> args = {growthd->string()};
    if (explicit_socket) {
        args.push_back("--socket");
        args.push_back(socket.string());
    }
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);

    int err_pipe[2];
    if (::pipe2(err_pipe, O_CLOEXEC) != 0) {
        throw Failure(ExitCode::unreachable, "daemon_unreachable",
                      fmt::format("cannot start growthd: pipe: {}", std::strerror(errno)));
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, err_pipe[1], STDERR_FILENO);
    pid_t pid = 0;
    const int spawned = ::posix_spawn(&pid, growthd->c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(err_pipe[1]);
    if (spawned != 0) {
        ::close(err_pipe[0]);
        throw Failure(ExitCode::unreachable, "daemon_unreachable",
                      fmt::format("cannot run {}: {}", growthd->string(), std::strerror(spawned)));
    }
    // growthd's foreground process exits once the daemon serves; by then the daemon has let go of
    // the pipe, so reading to EOF ends too.
    std::string output;
    char buffer[4096];
    for (;;) {
        const ssize_t n = ::read(err_pipe[0], buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        if (output.size() < 64 * 1024) output.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(err_pipe[0]);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return;
    const std::string message = last_message(output);
    // Another growthctl may have started it a moment earlier: that is success for us.
    if (message.find("already") != std::string::npos) return;
    throw Failure(ExitCode::unreachable, "daemon_unreachable",
                  "could not start growthd: " +
                      (message.empty() ? fmt::format("{} exited with status {}", growthd->string(),
                                                     WIFEXITED(status) ? WEXITSTATUS(status) : -1)
                                       : message));
}

}  // namespace growth::cli
