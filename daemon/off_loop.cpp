#include "daemon/off_loop.hpp"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <memory>
#include <system_error>
#include <thread>

#include "daemon/unique_fd.hpp"

namespace growth::daemon {

namespace {

struct Job {
    UniqueFd wake;
    std::exception_ptr error;
    std::thread thread;
    ~Job() {
        if (thread.joinable()) thread.join();
    }
};

}  // namespace

void run_off_loop(EventLoop& loop, std::function<void()> work, std::function<void(std::exception_ptr)> done) {
    auto job = std::make_shared<Job>();
    job->wake = UniqueFd(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
    if (!job->wake) throw std::system_error(errno, std::generic_category(), "eventfd");
    const int fd = job->wake.get();
    // The loop's watch owns the job: a loop destroyed first joins the thread through it.
    loop.add(fd, EPOLLIN, [&loop, job, fd, done = std::move(done)](std::uint32_t) {
        loop.remove(fd);
        job->thread.join();
        const std::exception_ptr error = job->error;
        loop.defer([job] {});  // freed after this callback has returned
        done(error);
    });
    try {
        job->thread = std::thread([raw = job.get(), work = std::move(work)] {
            try {
                work();
            } catch (...) {
                raw->error = std::current_exception();
            }
            const std::uint64_t one = 1;
            while (::write(raw->wake.get(), &one, sizeof one) < 0 && errno == EINTR) {
            }
        });
    } catch (...) {
        loop.remove(fd);
        throw;
    }
}

}  // namespace growth::daemon
