#include "cli/progress.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

#include <fmt/format.h>

namespace growth::cli {

std::vector<std::string> progress_lines(const rpc::Json& post) {
    std::vector<std::string> out;
    const auto targets = post.find("targets");
    if (targets == post.end() || !targets->is_array()) return out;
    for (const auto& t : *targets) {
        std::size_t done = 0, total = 0;
        int next = 0;
        const auto parts = t.find("parts");
        if (parts != t.end() && parts->is_array()) {
            for (const auto& p : *parts) {
                ++total;
                if (string_field(p, "state") == "published") {
                    ++done;
                } else if (next == 0) {
                    next = p.value("index", 0);
                }
            }
        }
        std::string line = fmt::format("  {} ({}): {}/{} published", string_field(t, "account"), string_field(t, "platform"), done, total);
        const std::string state = string_field(t, "state");
        if (state == "sending" && next > 0) {
            line += fmt::format(", sending part {}", next);
        } else if (state != "published" && !state.empty()) {
            line += ", " + state;
        }
        out.push_back(std::move(line));
    }
    return out;
}

bool can_draw_progress(int fd) noexcept {
    if (::isatty(fd) != 1) return false;
    const char* term = std::getenv("TERM");
    return term != nullptr && *term != '\0' && std::strcmp(term, "dumb") != 0;
}

void ProgressDisplay::draw(const std::vector<std::string>& lines) noexcept {
    if (lines == drawn_) return;
    try {
        std::size_t width = 0;
        winsize ws{};
        if (::ioctl(fd_, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 1) width = ws.ws_col - 1u;
        std::string frame;
        if (!drawn_.empty()) frame += fmt::format("\033[{}A", drawn_.size());
        for (const auto& line : lines) {
            frame += "\r\033[K";
            frame += width > 0 && line.size() > width ? line.substr(0, width) : line;
            frame += '\n';
        }
        // Fewer lines than before: erase the rest.
        if (lines.size() < drawn_.size()) frame += "\033[J";
        std::fputs(frame.c_str(), out_);
        std::fflush(out_);
        drawn_ = lines;
    } catch (...) {
        // Out of memory while drawing: the progress is a courtesy; the publish goes on.
    }
}

void ProgressDisplay::clear() noexcept {
    if (drawn_.empty()) return;
    std::fprintf(out_, "\033[%zuA\r\033[J", drawn_.size());
    std::fflush(out_);
    drawn_.clear();
}

}  // namespace growth::cli
