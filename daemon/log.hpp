#pragma once
// growthd's log: one line per event on stderr, with a "<N>" syslog priority prefix when stderr is
// connected to the journal (JOURNAL_STREAM names stderr's device and inode).

#include <fmt/format.h>

#include <string>
#include <string_view>

#include "core/config/config.hpp"

namespace growth::daemon {

/// The process-wide log sink. Used from the loop thread only.
class Log {
public:
    /// Decides once whether to prefix priorities: JOURNAL_STREAM must match fd 2's dev:inode, as
    /// systemd documents, so a redirected stderr does not get prefixes meant for the journal.
    /// Throws nothing.
    static void init() noexcept;

    /// Lines below `level` are dropped. Throws nothing.
    static void set_threshold(LogLevel level) noexcept;
    static LogLevel threshold() noexcept;

    /// True when the prefix is written (for tests and the status reply). Throws nothing.
    static bool journal() noexcept;

    /// From now on stderr is the file `path` (created 0600, appended to): when it passes
    /// max_file_bytes it is renamed to PATH.1 (replacing the older one) and a new one is begun, so
    /// the log never takes more than about twice that. A file that cannot be opened leaves stderr
    /// as it was. An empty `path` only forgets the file (stderr stays what it is). Throws nothing.
    static void to_file(const std::string& path) noexcept;
    static constexpr long long max_file_bytes = 1 << 20;

    /// Where the lines go, for daemon.status: the file's path, "journal" or "stderr".
    static std::string destination();

    /// Writes one line at `level`. Never throws; a failing stderr is ignored.
    static void write(LogLevel level, std::string_view message) noexcept;
};

/// Formats and logs at `level`, if the threshold lets it through. Never throws.
template <typename... Args>
void log(LogLevel level, fmt::format_string<Args...> format, Args&&... args) noexcept {
    if (level < Log::threshold()) return;
    try {
        Log::write(level, fmt::format(format, std::forward<Args>(args)...));
    } catch (...) {
        // Formatting can only fail with bad_alloc here; losing a log line is acceptable.
    }
}

}  // namespace growth::daemon
