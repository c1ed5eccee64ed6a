#pragma once
// What `growthctl post` shows on a terminal while a post goes out: one line per target with
// its parts done of total, redrawn in place.

#include <cstdio>
#include <string>
#include <vector>

#include "core/rpc/json.hpp"

namespace growth::cli {

/// One line per target of `post` (post.show's result), in its order:
/// "  ACCOUNT (PLATFORM): DONE/TOTAL published, sending part N" while the target runs, else
/// "..., STATE" (retry_wait, needs_auth, unknown, failed, ...), or just "DONE/TOTAL published"
/// when every part is out. Throws std::bad_alloc.
std::vector<std::string> progress_lines(const rpc::Json& post);

/// Whether progress is drawn: `fd` is a terminal and TERM names one that moves the cursor (set,
/// and not "dumb"). Throws nothing.
bool can_draw_progress(int fd) noexcept;

/// Draws progress lines on a terminal and redraws them in place (ANSI cursor-up and erase),
/// each cut to the terminal's width so none wraps. Throws nothing (output errors are ignored).
class ProgressDisplay {
public:
    /// Draws on `out`, whose file descriptor is `fd` (for the width). Throws nothing.
    ProgressDisplay(std::FILE* out, int fd) noexcept : out_(out), fd_(fd) {}
    /// Draws `lines`, replacing what was drawn; nothing when they did not change.
    void draw(const std::vector<std::string>& lines) noexcept;
    /// Erases what was drawn and leaves the cursor where the first line was.
    void clear() noexcept;

private:
    std::FILE* out_;
    int fd_;
    std::vector<std::string> drawn_;
};

}  // namespace growth::cli
