#include "daemon/background.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace growth::daemon {

namespace {
int ready_fd = -1;  // write end of the readiness pipe, in the child
}

void go_background() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) throw std::system_error(errno, std::generic_category(), "pipe");
    const pid_t pid = ::fork();
    if (pid < 0) throw std::system_error(errno, std::generic_category(), "fork");
    if (pid == 0) {
        ::close(fds[0]);
        ready_fd = fds[1];
        ::setsid();
        // Do not pin the starting directory (options were made absolute before forking).
        [[maybe_unused]] const int ignored = ::chdir("/");
        return;
    }
    ::close(fds[1]);
    char byte = 0;
    ssize_t n;
    do {
        n = ::read(fds[0], &byte, 1);
    } while (n < 0 && errno == EINTR);
    if (n == 1) ::_exit(0);
    // The pipe closed without a byte: the child exited (or crashed) before serving.
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFEXITED(status)) ::_exit(WEXITSTATUS(status) == 0 ? 1 : WEXITSTATUS(status));
    ::_exit(1);
}

void report_ready() noexcept {
    if (ready_fd < 0) return;
    const int null = ::open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null >= 0) {
        ::dup2(null, STDIN_FILENO);
        ::dup2(null, STDOUT_FILENO);
        ::dup2(null, STDERR_FILENO);
        if (null > STDERR_FILENO) ::close(null);
    }
    const char byte = 'R';
    [[maybe_unused]] const ssize_t n = ::write(ready_fd, &byte, 1);
    ::close(ready_fd);
    ready_fd = -1;
}

}  // namespace growth::daemon
