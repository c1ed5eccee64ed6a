#pragma once
// Splits a byte stream into newline-terminated lines with a bound on the line length.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/rpc/protocol.hpp"

namespace growth::rpc {

/// Accumulates bytes as they arrive (in any fragmentation) and hands out complete lines.
/// Memory is bounded: once a line (complete or still open) passes `max_line` bytes the framer
/// is `overflowed()` for good and hands out nothing more; the caller reports and closes.
/// Not thread-safe; one per connection.
class LineFramer {
public:
    /// `max_line` is the longest accepted line in bytes, not counting the '\n'.
    explicit LineFramer(std::size_t max_line = max_line_bytes) noexcept : max_line_(max_line) {}

    /// Appends received bytes. Bytes fed after an overflow are dropped. Throws std::bad_alloc.
    void feed(std::string_view bytes);

    /// The next complete line without its '\n' (and without a trailing '\r'), or nullopt when
    /// no complete line is buffered or the framer has overflowed. Throws std::bad_alloc.
    std::optional<std::string> next_line();

    /// True once a line longer than the limit was seen; permanent.
    bool overflowed() const noexcept { return overflowed_; }

    /// Bytes buffered that do not yet form a complete line handed out.
    std::size_t buffered() const noexcept { return buffer_.size() - start_; }

private:
    std::size_t max_line_;
    std::string buffer_;
    std::size_t start_ = 0;  ///< first byte not handed out yet
    std::size_t scan_ = 0;   ///< bytes before this offset are known to hold no '\n'
    bool overflowed_ = false;
};

}  // namespace growth::rpc
