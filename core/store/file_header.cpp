#include "core/store/file_header.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>

#include "core/error.hpp"

namespace growth {

namespace {

// https://www.sqlite.org/fileformat2.html#the_database_header
constexpr std::size_t header_size = 100;
constexpr std::size_t user_version_offset = 60;
constexpr char magic[] = "SQLite format 3";  // followed by a NUL, 16 bytes in all

Error not_a_database(const std::filesystem::path& path) {
    return Error("store_error", path.string() + ": not an SQLite database");
}

Error os_error(const std::filesystem::path& path, const char* what, int err) {
    return Error("store_error", path.string() + ": " + what + ": " +
                                    std::generic_category().message(err));
}

class Fd {
public:
    explicit Fd(int fd) noexcept : fd_(fd) {}
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    int get() const noexcept { return fd_; }

private:
    int fd_;
};

}  // namespace

std::optional<std::int32_t> read_header_user_version(const std::filesystem::path& path) {
    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
    if (fd.get() < 0) {
        if (errno == ENOENT) return std::nullopt;
        throw os_error(path, "cannot open", errno);
    }
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) throw os_error(path, "cannot stat", errno);
    if (S_ISDIR(st.st_mode)) {
        throw Error("store_error", path.string() + ": is a directory, not a database file");
    }
    if (!S_ISREG(st.st_mode)) {
        throw Error("store_error", path.string() + ": not a regular file");
    }
    if (st.st_size == 0) return std::nullopt;

    std::array<unsigned char, header_size> header{};
    std::size_t got = 0;
    while (got < header.size()) {
        const ssize_t n = ::pread(fd.get(), header.data() + got, header.size() - got,
                                  static_cast<off_t>(got));
        if (n < 0) {
            if (errno == EINTR) continue;
            throw os_error(path, "cannot read", errno);
        }
        if (n == 0) break;
        got += static_cast<std::size_t>(n);
    }
    if (got < header.size() || std::memcmp(header.data(), magic, sizeof magic) != 0) {
        throw not_a_database(path);
    }
    const unsigned char* v = header.data() + user_version_offset;
    const std::uint32_t raw = (std::uint32_t{v[0]} << 24) | (std::uint32_t{v[1]} << 16) |
                              (std::uint32_t{v[2]} << 8) | std::uint32_t{v[3]};
    return static_cast<std::int32_t>(raw);
}

}  // namespace growth
