#include "cli/prompt.hpp"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>

#include "cli/failure.hpp"
#include "core/secrets/secret_bytes.hpp"

namespace growth::cli {

namespace {

int tty_fd = -1;
termios saved{};

// Ctrl-C while echo is off: put the terminal back, then die of the signal as usual.
extern "C" void restore_and_reraise(int signo) {
    if (tty_fd >= 0) ::tcsetattr(tty_fd, TCSAFLUSH, &saved);
    const char nl = '\n';
    if (tty_fd >= 0) (void)!::write(tty_fd, &nl, 1);
    ::signal(signo, SIG_DFL);
    ::raise(signo);
}

}  // namespace

bool stdin_is_terminal() noexcept { return ::isatty(STDIN_FILENO) == 1; }

std::optional<std::string> read_hidden(const std::string& prompt) {
    const int fd = ::open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) return std::nullopt;
    if (::tcgetattr(fd, &saved) != 0) {
        ::close(fd);
        return std::nullopt;
    }
    tty_fd = fd;
    struct sigaction on_int {}, old_int {}, old_term {};
    on_int.sa_handler = restore_and_reraise;
    ::sigaction(SIGINT, &on_int, &old_int);
    ::sigaction(SIGTERM, &on_int, &old_term);
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    quiet.c_lflag |= ECHONL;
    ::tcsetattr(fd, TCSAFLUSH, &quiet);
    (void)!::write(fd, prompt.data(), prompt.size());
    std::string line;
    bool ended = false, too_long = false;
    for (;;) {
        char c = 0;
        const ssize_t n = ::read(fd, &c, 1);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            ended = true;
            break;
        }
        if (c == '\n') break;
        if (line.size() >= 65536) {
            too_long = true;
            continue;
        }
        line.push_back(c);
    }
    ::tcsetattr(fd, TCSAFLUSH, &saved);
    ::sigaction(SIGINT, &old_int, nullptr);
    ::sigaction(SIGTERM, &old_term, nullptr);
    tty_fd = -1;
    ::close(fd);
    if (ended || too_long) {
        secrets::wipe(line.data(), line.size());
        if (too_long) throw Failure(ExitCode::usage, "bad_input", "the line typed is longer than 64 KiB");
        throw Failure(ExitCode::interrupted, "interrupted", "no passphrase was typed (end of input)");
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
}

}  // namespace growth::cli
