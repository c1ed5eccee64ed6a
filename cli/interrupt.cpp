#include "cli/interrupt.hpp"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

namespace growth::cli {

namespace {

// Written by the handler: only async-signal-safe calls (write, _exit) there.
char interrupt_message[4096];
volatile sig_atomic_t interrupt_length = 0;

extern "C" void on_sigint(int) {
    const sig_atomic_t n = interrupt_length;
    std::size_t sent = 0;
    while (sent < static_cast<std::size_t>(n)) {
        const ssize_t w = ::write(STDERR_FILENO, interrupt_message + sent, static_cast<std::size_t>(n) - sent);
        if (w <= 0) break;
        sent += static_cast<std::size_t>(w);
    }
    ::_exit(130);
}

}  // namespace

void exit_on_interrupt(const std::string& message) noexcept {
    // Block SIGINT while the text changes so the handler never sees half of it.
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    ::sigprocmask(SIG_BLOCK, &block, &old);
    const std::size_t n = std::min(message.size(), sizeof interrupt_message);
    std::memcpy(interrupt_message, message.data(), n);
    interrupt_length = static_cast<sig_atomic_t>(n);
    struct sigaction sa{};
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    ::sigaction(SIGINT, &sa, nullptr);
    ::sigprocmask(SIG_SETMASK, &old, nullptr);
}

void restore_interrupt() noexcept {
    struct sigaction sa{};
    sa.sa_handler = SIG_DFL;
    sigemptyset(&sa.sa_mask);
    ::sigaction(SIGINT, &sa, nullptr);
}

}  // namespace growth::cli
