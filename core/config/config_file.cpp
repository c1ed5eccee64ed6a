#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <system_error>

#include "core/config/config.hpp"
#include "core/error.hpp"

namespace growth {

namespace {

// Far beyond any real config; stops a mistaken path (a log, a device) from being slurped.
constexpr off_t max_config_bytes = 1 << 20;

Error file_error(const std::filesystem::path& path, const std::string& what) {
    return Error("config_invalid", path.string() + ": " + what);
}

std::string errno_text(int err) { return std::generic_category().message(err); }

}  // namespace

Config load_config(const std::filesystem::path& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        if (errno == ENOENT) return Config{};
        throw file_error(path, "cannot open: " + errno_text(errno));
    }
    std::string text;
    int err = 0;
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        err = errno;
    } else if (S_ISDIR(st.st_mode)) {
        ::close(fd);
        throw file_error(path, "is a directory, not a config file");
    } else if (!S_ISREG(st.st_mode)) {
        ::close(fd);
        throw file_error(path, "not a regular file");
    } else if (st.st_size > max_config_bytes) {
        ::close(fd);
        throw file_error(path, "too large for a config file (over 1 MiB)");
    } else {
        char buf[8192];
        for (;;) {
            const ssize_t n = ::read(fd, buf, sizeof buf);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) {
                err = errno;
                break;
            }
            if (n == 0) break;
            text.append(buf, static_cast<std::size_t>(n));
            if (text.size() > static_cast<std::size_t>(max_config_bytes)) {
                ::close(fd);
                throw file_error(path, "too large for a config file (over 1 MiB)");
            }
        }
    }
    ::close(fd);
    if (err != 0) throw file_error(path, "cannot read: " + errno_text(err));
    return parse_config(text, path.string());
}

}  // namespace growth
