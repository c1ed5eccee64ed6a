#include "daemon/log.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace growth::daemon {

namespace {

LogLevel threshold_ = LogLevel::info;
bool journal_ = false;
std::string file_;  // to_file()'s path; empty: stderr as given

// Opens `path` for appending onto stderr, first moving it aside to PATH.1 when `rotate` or full.
void open_onto_stderr(const std::string& path, bool rotate) noexcept {
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0 && (rotate || st.st_size >= Log::max_file_bytes)) {
        ::rename(path.c_str(), (path + ".1").c_str());
    }
    const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return;
    ::dup2(fd, STDERR_FILENO);
    if (fd != STDERR_FILENO) ::close(fd);
}

/// syslog(3) priorities: 7 debug, 6 info, 5 notice, 4 warning, 3 err.
int priority(LogLevel level) {
    switch (level) {
        case LogLevel::debug: return 7;
        case LogLevel::info: return 6;
        case LogLevel::notice: return 5;
        case LogLevel::warning: return 4;
        case LogLevel::error: return 3;
    }
    return 6;
}

}  // namespace

void Log::init() noexcept {
    journal_ = false;
    const char* stream = std::getenv("JOURNAL_STREAM");
    if (stream == nullptr) return;
    unsigned long long dev = 0, ino = 0;
    if (std::sscanf(stream, "%llu:%llu", &dev, &ino) != 2) return;
    struct stat st {};
    if (::fstat(STDERR_FILENO, &st) != 0) return;
    journal_ = st.st_dev == dev && st.st_ino == ino;
}

void Log::to_file(const std::string& path) noexcept {
    try {
        file_ = path;
    } catch (...) {
        return;
    }
    if (path.empty()) return;
    journal_ = false;
    open_onto_stderr(path, false);
}

std::string Log::destination() { return !file_.empty() ? file_ : journal_ ? "journal" : "stderr"; }

void Log::set_threshold(LogLevel level) noexcept { threshold_ = level; }
LogLevel Log::threshold() noexcept { return threshold_; }
bool Log::journal() noexcept { return journal_; }

void Log::write(LogLevel level, std::string_view message) noexcept {
    if (level < threshold_) return;
    try {
        std::string line;
        line.reserve(message.size() + 16);
        if (journal_) {
            line += '<';
            line += static_cast<char>('0' + priority(level));
            line += '>';
        } else {
            line += "growthd: ";
            if (level == LogLevel::error) line += "error: ";
            if (level == LogLevel::warning) line += "warning: ";
        }
        line += message;
        line += '\n';
        if (!file_.empty()) {
            struct stat st {};
            if (::fstat(STDERR_FILENO, &st) == 0 && st.st_size + static_cast<long long>(line.size()) > max_file_bytes) {
                open_onto_stderr(file_, true);
            }
        }
        // One write(2) per line so lines from a crash are never interleaved mid-line.
        const char* data = line.data();
        std::size_t left = line.size();
        while (left > 0) {
            const ssize_t n = ::write(STDERR_FILENO, data, left);
            if (n <= 0) return;
            data += n;
            left -= static_cast<std::size_t>(n);
        }
    } catch (...) {
    }
}

}  // namespace growth::daemon
