#include "core/rpc/line_framer.hpp"

namespace growth::rpc {

void LineFramer::feed(std::string_view bytes) {
    if (overflowed_) return;
    // Compact before growing so a long-lived connection does not keep consumed bytes around.
    if (start_ > 0 && start_ >= buffer_.size() / 2) {
        buffer_.erase(0, start_);
        scan_ -= start_;
        start_ = 0;
    }
    buffer_.append(bytes);
}

std::optional<std::string> LineFramer::next_line() {
    if (overflowed_) return std::nullopt;
    const auto newline = buffer_.find('\n', scan_);
    if (newline == std::string::npos) {
        scan_ = buffer_.size();
        if (buffer_.size() - start_ > max_line_) {
            overflowed_ = true;
            buffer_.clear();
            start_ = scan_ = 0;
        }
        return std::nullopt;
    }
    std::size_t end = newline;
    if (end > start_ && buffer_[end - 1] == '\r') --end;
    if (end - start_ > max_line_) {
        overflowed_ = true;
        buffer_.clear();
        start_ = scan_ = 0;
        return std::nullopt;
    }
    std::string line = buffer_.substr(start_, end - start_);
    start_ = scan_ = newline + 1;
    if (start_ == buffer_.size()) {
        buffer_.clear();
        start_ = scan_ = 0;
    }
    return line;
}

}  // namespace growth::rpc
