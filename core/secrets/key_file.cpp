#include "core/secrets/key_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include <fmt/format.h>

#include "core/error.hpp"

namespace growth::secrets {

namespace {

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& what) {
    throw Error("vault_error", fmt::format("key file {}: {}", path.string(), what));
}

std::string errno_text() { return std::generic_category().message(errno); }

class Fd {
public:
    explicit Fd(int fd) noexcept : fd_(fd) {}
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const noexcept { return fd_; }

private:
    int fd_;
};

// Creates the key's directory 0700 when missing (an existing directory, such as the user's
// config directory, is used as it is: the file's own mode protects the key).
void ensure_directory(const std::filesystem::path& path) {
    const std::filesystem::path dir = path.parent_path();
    if (dir.empty()) return;
    std::error_code ec;
    if (std::filesystem::is_directory(dir, ec)) return;
    std::filesystem::create_directories(dir.parent_path(), ec);
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
        fail(path, "cannot create its directory: " + errno_text());
    }
}

void write_all(int fd, const unsigned char* data, std::size_t size, const std::filesystem::path& path) {
    while (size > 0) {
        const ssize_t n = ::write(fd, data, size);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) fail(path, "cannot write: " + errno_text());
        data += n;
        size -= static_cast<std::size_t>(n);
    }
}

// Writes a fresh key beside the final name and links it into place, so a crash never leaves a
// short key file and two daemons racing to create one agree on a single key.
void create_key_file(const std::filesystem::path& path) {
    ensure_directory(path);
    std::filesystem::path tmp = path;
    tmp += fmt::format(".tmp.{}", ::getpid());
    ::unlink(tmp.c_str());
    {
        Fd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
        if (fd.get() < 0) fail(path, "cannot create: " + errno_text());
        Key key = Key::random();
        try {
            write_all(fd.get(), key.data(), key.size(), path);
            if (::fsync(fd.get()) != 0) fail(path, "cannot sync: " + errno_text());
        } catch (...) {
            ::unlink(tmp.c_str());
            throw;
        }
    }
    const int linked = ::link(tmp.c_str(), path.c_str());
    const int link_errno = errno;
    ::unlink(tmp.c_str());
    if (linked != 0 && link_errno != EEXIST) {
        errno = link_errno;
        fail(path, "cannot create: " + errno_text());
    }
    Fd dir(::open(path.parent_path().empty() ? "." : path.parent_path().c_str(),
                  O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dir.get() >= 0) ::fsync(dir.get());
}

}  // namespace

std::filesystem::path default_key_file(const paths::EnvLookup& env) {
    return paths::config_file(env).parent_path() / "vault.key";
}

bool KeyFileSource::exists() const {
    struct stat st {};
    return ::lstat(path_.c_str(), &st) == 0;
}

Key KeyFileSource::key(std::string& /*params*/, bool create) {
    if (create && !exists()) create_key_file(path_);
    Fd fd(::open(path_.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
    if (fd.get() < 0) {
        if (errno == ENOENT) {
            fail(path_, "missing; the vault was sealed with it (restore the key file, or pass "
                        "the right one with --key-file)");
        }
        if (errno == ELOOP) fail(path_, "is a symbolic link; refusing to follow it");
        fail(path_, "cannot open: " + errno_text());
    }
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) fail(path_, "cannot examine: " + errno_text());
    if (!S_ISREG(st.st_mode)) fail(path_, "is not a regular file");
    if ((st.st_mode & 077) != 0) {
        fail(path_, fmt::format("is accessible by other users (mode {:04o}); run: chmod 600 {}",
                                st.st_mode & 07777, path_.string()));
    }
    if (st.st_uid != ::geteuid()) fail(path_, "belongs to another user");
    if (st.st_size != static_cast<off_t>(key_bytes)) {
        fail(path_, fmt::format("has {} bytes; a key file holds exactly {}", st.st_size, key_bytes));
    }
    Key key;
    std::size_t got = 0;
    while (got < key_bytes) {
        const ssize_t n = ::read(fd.get(), key.data() + got, key_bytes - got);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) fail(path_, "cannot read: " + errno_text());
        got += static_cast<std::size_t>(n);
    }
    return key;
}

}  // namespace growth::secrets
