#include "daemon/hooks.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <vector>

#include "daemon/log.hpp"

extern char** environ;

namespace growth::daemon {

namespace {

constexpr std::size_t max_running = 8;
constexpr std::chrono::seconds max_runtime{60};

}  // namespace

Hooks::~Hooks() {
    for (auto& [fd, child] : children_) {
        loop_.remove(fd);
        ::close(fd);
    }
}

void Hooks::on_event(const rpc::Json& event) noexcept {
    try {
        if (commands_.empty() || string_field(event, "type") != "post") return;
        const std::string state = string_field(event, "state");
        const auto command = commands_.find(state);
        if (command == commands_.end() || command->second.empty()) return;
        const std::string post = string_field(event, "post");
        const std::string what = "hook on_" + state + " for post " + post;
        if (children_.size() >= max_running) {
            log(LogLevel::warning, "{} skipped: {} hooks are still running", what, children_.size());
            return;
        }
        std::vector<std::string> env;
        for (char** e = environ; *e != nullptr; ++e) {
            if (std::strncmp(*e, "GROWTH_", 7) != 0) env.emplace_back(*e);
        }
        env.push_back("GROWTH_EVENT=" + event.dump());
        env.push_back("GROWTH_POST_ID=" + post);
        env.push_back("GROWTH_STATE=" + state);
        env.push_back("GROWTH_DUE=" + string_field(event, "due"));
        std::vector<char*> envp;
        for (auto& e : env) envp.push_back(e.data());
        envp.push_back(nullptr);
        std::string sh = "sh", dash_c = "-c", cmd = command->second;
        char* argv[] = {sh.data(), dash_c.data(), cmd.data(), nullptr};

        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
        posix_spawnattr_t attr;
        posix_spawnattr_init(&attr);
        // Its own process group, so a stop of growthd's terminal group does not reach it twice.
        posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK);
        sigset_t none;
        sigemptyset(&none);
        posix_spawnattr_setsigmask(&attr, &none);
        pid_t pid = 0;
        const int rc = ::posix_spawn(&pid, "/bin/sh", &actions, &attr, argv, envp.data());
        posix_spawn_file_actions_destroy(&actions);
        posix_spawnattr_destroy(&attr);
        if (rc != 0) {
            log(LogLevel::error, "{} cannot start: {}", what, std::strerror(rc));
            return;
        }
        const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
        if (pidfd < 0) {
            // Without a pidfd it cannot be watched: wait for it from here rather than leave a zombie.
            log(LogLevel::warning, "{}: cannot watch it ({}); waiting for it", what, std::strerror(errno));
            ::waitpid(pid, nullptr, 0);
            return;
        }
        log(LogLevel::info, "{}: started (pid {})", what, pid);
        Child child{pid, pidfd, what, nullptr};
        child.deadline = std::make_unique<OneShotTimer>(loop_, max_runtime, [this, pidfd] {
            const auto it = children_.find(pidfd);
            if (it == children_.end()) return;
            log(LogLevel::warning, "{}: still running after {} s, killing it", it->second.what, max_runtime.count());
            ::kill(-it->second.pid, SIGKILL);
        });
        children_.emplace(pidfd, std::move(child));
        loop_.add(pidfd, EPOLLIN, [this, pidfd](std::uint32_t) { reap(pidfd); });
    } catch (const std::exception& e) {
        log(LogLevel::error, "hook for a post event cannot start: {}", e.what());
    }
}

void Hooks::reap(int pidfd) noexcept {
    const auto it = children_.find(pidfd);
    if (it == children_.end()) return;
    int status = 0;
    const pid_t reaped = ::waitpid(it->second.pid, &status, WNOHANG);
    if (reaped == 0) return;  // not yet
    if (reaped < 0) {
        log(LogLevel::info, "{}: ended", it->second.what);  // reaped elsewhere (SIGCHLD ignored)
    } else if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        log(LogLevel::info, "{}: done", it->second.what);
    } else if (WIFEXITED(status)) {
        log(LogLevel::warning, "{}: exited with {}", it->second.what, WEXITSTATUS(status));
    } else {
        log(LogLevel::warning, "{}: killed by signal {}", it->second.what, WTERMSIG(status));
    }
    loop_.remove(pidfd);
    ::close(pidfd);
    // The deadline timer goes with the entry, after this callback returns.
    auto done = std::make_shared<Child>(std::move(it->second));
    children_.erase(it);
    loop_.defer([done] {});
}

}  // namespace growth::daemon
