#include "daemon/data_lock.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "core/error.hpp"

namespace growth::daemon {

DataLock::DataLock(const std::filesystem::path& data_dir) {
    const auto path = data_dir / "growthd.lock";
    fd_.reset(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600));
    if (!fd_) {
        throw Error("data_dir_error",
                    fmt::format("cannot open {}: {}", path.string(), std::strerror(errno)));
    }
    if (::flock(fd_.get(), LOCK_EX | LOCK_NB) != 0) {
        const int err = errno;
        if (err != EWOULDBLOCK) {
            throw Error("data_dir_error",
                        fmt::format("cannot lock {}: {}", path.string(), std::strerror(err)));
        }
        char buffer[32] = {};
        const ssize_t n = ::pread(fd_.get(), buffer, sizeof buffer - 1, 0);
        std::string pid = n > 0 ? std::string(buffer, static_cast<std::size_t>(n)) : "";
        while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
        throw Error("already_running",
                    fmt::format("another growthd{} is already using data directory {}",
                                pid.empty() ? "" : " (pid " + pid + ")", data_dir.string()));
    }
    write_pid();
}

void DataLock::write_pid() noexcept {
    const std::string pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd_.get(), 0) != 0) return;
    [[maybe_unused]] const ssize_t n = ::pwrite(fd_.get(), pid.data(), pid.size(), 0);
}

}  // namespace growth::daemon
