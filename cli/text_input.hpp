#pragma once
// The text of `post` and `preview`: the TEXT argument, -f FILE, or standard input, read the same
// way for both and always well-formed UTF-8 before anything uses it.

#include <string>

namespace growth::cli {

/// Where the text comes from, as given on the command line.
struct TextSource {
    std::string file;       ///< -f FILE: "" when not given, "-" for standard input
    std::string text;       ///< the TEXT argument; "-" reads standard input
    bool has_text = false;  ///< whether TEXT was given at all
};

/// Reads the text: FILE when given (standard input for "-"), standard input when TEXT is "-" or
/// neither is given and standard input is not a terminal, else TEXT itself. Throws
/// growth::Error("usage") when both TEXT and FILE, or neither, are given; ("bad_input") when FILE
/// or standard input cannot be read ("cannot read F: reason"), or when the text is not well-formed
/// UTF-8 ("invalid UTF-8 at byte offset N", prefixed with "F: " for a file).
std::string read_text_input(const TextSource& source);

}  // namespace growth::cli
