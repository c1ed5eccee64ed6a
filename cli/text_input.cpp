#include "cli/text_input.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "core/error.hpp"
#include "core/rpc/protocol.hpp"
#include "core/text/utf8.hpp"

namespace growth::cli {

namespace {

// Longest text growthctl reads: a post must fit in one request line to growthd (growthd's own
// bound, limits.max_post_bytes, is smaller by default and refuses the rest with its own words).
constexpr std::size_t max_text_bytes = rpc::max_line_bytes - 64 * 1024;

[[noreturn]] void too_long(const std::string& what) {
    throw Error("post_too_large", fmt::format("{} is longer than {} KiB, more than a post can be (growthd takes "
                                              "limits.max_post_bytes, 512 KiB by default)",
                                              what, max_text_bytes / 1024));
}

// Everything `fd` holds, up to max_text_bytes (`what` names it in messages).
std::string read_bounded(int fd, const std::string& what) {
    std::string s;
    char buffer[65536];
    for (;;) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n > 0) {
            s.append(buffer, static_cast<std::size_t>(n));
            if (s.size() > max_text_bytes) too_long(what);
        } else if (n == 0) {
            return s;
        } else if (errno != EINTR) {
            throw Error("bad_input", fmt::format("cannot read {}: {}", what, std::strerror(errno)));
        }
    }
}

std::string read_file(const std::string& path) {
    const std::string what = "-f " + path;
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw Error("bad_input", fmt::format("cannot read {}: {}", what, std::strerror(errno)));
    struct stat st{};
    if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        ::close(fd);
        throw Error("bad_input", fmt::format("cannot read {}: it is a directory; give the file that holds the text",
                                             what));
    }
    try {
        std::string s = read_bounded(fd, what);
        ::close(fd);
        return s;
    } catch (...) {
        ::close(fd);
        throw;
    }
}

std::string read_stdin() { return read_bounded(STDIN_FILENO, "standard input"); }

}  // namespace

std::string read_text_input(const TextSource& source) {
    if (!source.file.empty() && source.has_text) {
        throw Error("usage", "give the text either as an argument or with -f, not both");
    }
    if (!source.file.empty() && source.file != "-") {
        std::string s = read_file(source.file);
        if (const auto bad = text::find_invalid_utf8(s); bad != std::string::npos) {
            throw Error("bad_input", fmt::format("{}: invalid UTF-8 at byte offset {}", source.file, bad));
        }
        return s;
    }
    const bool want_stdin = source.file == "-" || (source.has_text && source.text == "-") ||
                            (!source.has_text && !isatty(STDIN_FILENO));
    if (!want_stdin && !source.has_text) {
        throw Error("usage", "no text given: pass TEXT, -f FILE, or - to read standard input");
    }
    if (!want_stdin && source.text.size() > max_text_bytes) too_long("TEXT");
    std::string s = want_stdin ? read_stdin() : source.text;
    text::require_valid_utf8(s);
    return s;
}

}  // namespace growth::cli
