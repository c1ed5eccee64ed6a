#include "cli/text_input.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>

#include "core/error.hpp"
#include "core/text/utf8.hpp"

namespace growth::cli {

namespace {

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error("bad_input", fmt::format("cannot read {}: {}", path, std::strerror(errno)));
    std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) throw Error("bad_input", fmt::format("cannot read {}: {}", path, std::strerror(errno)));
    return s;
}

std::string read_stdin() {
    std::string s;
    char buffer[65536];
    for (;;) {
        const ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
        if (n > 0) {
            s.append(buffer, static_cast<std::size_t>(n));
        } else if (n == 0) {
            return s;
        } else if (errno != EINTR) {
            throw Error("bad_input", fmt::format("cannot read standard input: {}", std::strerror(errno)));
        }
    }
}

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
    std::string s = want_stdin ? read_stdin() : source.text;
    text::require_valid_utf8(s);
    return s;
}

}  // namespace growth::cli
