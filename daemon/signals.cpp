#include "daemon/signals.hpp"

#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace growth::daemon {

SignalSource::SignalSource(EventLoop& loop, Handlers handlers)
    : loop_(loop), handlers_(std::move(handlers)) {
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGINT);
    sigaddset(&mask, SIGHUP);
    if (::sigprocmask(SIG_BLOCK, &mask, &old_mask_) != 0) {
        throw std::system_error(errno, std::generic_category(), "sigprocmask");
    }
    ::signal(SIGPIPE, SIG_IGN);
    fd_.reset(::signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC));
    if (!fd_) throw std::system_error(errno, std::generic_category(), "signalfd");
    loop_.add(fd_.get(), EPOLLIN, [this](std::uint32_t) { on_readable(); });
}

SignalSource::~SignalSource() {
    loop_.remove(fd_.get());
    ::sigprocmask(SIG_SETMASK, &old_mask_, nullptr);
}

void SignalSource::on_readable() {
    signalfd_siginfo info{};
    while (::read(fd_.get(), &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
        const int signo = static_cast<int>(info.ssi_signo);
        if (signo == SIGHUP) {
            if (handlers_.reload) handlers_.reload();
        } else if (handlers_.stop) {
            handlers_.stop(signo);
        }
    }
}

}  // namespace growth::daemon
