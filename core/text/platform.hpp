#pragma once
// The seven platforms' text rules: names, limits, counting units and how a thread continues.

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/platform.hpp"

namespace growth::text {

// The one Platform enum of the core (core/platform.hpp), named here for the text rules.
using growth::Platform;
using growth::all_platforms;
using growth::platform_name;
using growth::parse_platform;
using growth::suggest_platform;

/// How the parts after the first are published.
enum class Continuation {
    reply,    ///< each part replies to the previous one (X, Threads, Mastodon, Bluesky)
    comment,  ///< the first part is the post, the rest are comments on it (LinkedIn, Facebook, Instagram)
};

/// The platform's continuation mode. Throws nothing.
Continuation continuation(Platform p) noexcept;

/// "reply" or "comment". Throws nothing.
std::string_view continuation_name(Continuation c) noexcept;

/// What one part may hold on a platform; 0 means "no cap".
struct Limits {
    long length = 0;    ///< in the platform's own counting unit (see measure())
    long bytes = 0;     ///< UTF-8 bytes (Bluesky)
    int hashtags = 0;   ///< Instagram: 30
    int mentions = 0;   ///< Instagram: 20
    int links = 0;      ///< Threads: 5 distinct links
};

/// Options that differ per account.
struct RuleOptions {
    long mastodon_limit = 500;  ///< the instance's max_characters
};

/// The platform's limits per part (platforms.md §1.3-§7.3). Throws nothing.
Limits limits(Platform p, const RuleOptions& options = {}) noexcept;

/// One part measured the way the platform counts it.
struct Measure {
    long length = 0;  ///< X: weighted length; LinkedIn, Facebook, Instagram: UTF-16 units;
                      ///< Threads: graphemes, emoji by UTF-8 bytes; Mastodon: graphemes with
                      ///< links as 23 and @user@domain as @user; Bluesky: graphemes
    long bytes = 0;   ///< UTF-8 bytes
    int hashtags = 0;
    int mentions = 0;
    int links = 0;    ///< distinct links
    bool valid_chars = true;  ///< X: false when U+FFFE, U+FEFF or U+FFFF occur
};

/// Measures well-formed UTF-8 `text` for platform `p`. Throws std::bad_alloc only.
Measure measure(Platform p, std::string_view text);

/// Whether `m` is within `lim`: not empty and within every non-zero cap. (Characters X refuses
/// are reported by Measure::valid_chars, not here.) Throws nothing.
bool within(const Measure& m, const Limits& lim) noexcept;

}  // namespace growth::text
