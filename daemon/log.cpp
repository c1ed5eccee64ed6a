#include "daemon/log.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace growth::daemon {

namespace {

LogLevel threshold_ = LogLevel::info;
bool journal_ = false;

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
