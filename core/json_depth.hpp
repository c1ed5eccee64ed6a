#pragma once
// Bounding the nesting of JSON text before a parser builds a value from it. nlohmann parses
// iteratively but copies, compares and dumps values recursively, so a line of 100k '[' that
// parses fine still overflows the stack later. Every JSON that comes from outside (an RPC
// request, a platform answer) is measured here first (DESIGN.md §10).

#include <string_view>

namespace growth {

/// limits.max_json_depth when the config does not set it.
inline constexpr int default_max_json_depth = 64;

/// The deepest nesting any configuration may allow (the upper bound of limits.max_json_depth),
/// and the backstop of parsers that are not given a configured limit.
inline constexpr int max_json_depth_ceiling = 10'000;

/// Measures the nesting of JSON text fed in pieces (as it arrives from a socket): each `[` or `{`
/// outside a string opens a level, each `]` or `}` closes one; string escapes are honoured, so
/// `"\"["` opens nothing. The text need not be valid JSON: a parser that runs afterwards reports
/// syntax errors; this only guarantees it never sees more than `max_depth` open levels.
class JsonDepthScanner {
public:
    /// `max_depth` levels are allowed (0: no array or object at all). Never throws.
    explicit JsonDepthScanner(int max_depth) noexcept : max_depth_(max_depth) {}

    /// Scans the next bytes. Returns false once the text opened more than `max_depth` levels at
    /// once (and for every call after that). Never throws.
    bool feed(std::string_view bytes) noexcept;

    /// True once the limit was passed; permanent. Never throws.
    bool exceeded() const noexcept { return exceeded_; }

    /// The limit given at construction. Never throws.
    int max_depth() const noexcept { return max_depth_; }

private:
    int max_depth_;
    int depth_ = 0;
    bool in_string_ = false;
    bool escaped_ = false;
    bool exceeded_ = false;
};

/// True when `text` never has more than `max_depth` levels open at once (see JsonDepthScanner).
/// Never throws.
bool json_depth_within(std::string_view text, int max_depth) noexcept;

}  // namespace growth
