#pragma once
// Reading an account's recent posts back to settle an attempt whose answer was lost (internal to
// core/publish): X's user timeline, a Facebook Page feed or post's comments, LinkedIn's posts by
// author, a Threads post's replies. A part counts as found only when the listing holds its exact
// text (and, where the answer shows it, the same reply parent); absent only when the listing
// covers the whole window since the attempt; anything else is unknown.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/publish/types.hpp"

namespace growth::publish::detail {

/// One item of a listing, as the platform answered it.
struct ListedPost {
    std::string id;
    std::string text;
    /// What it replies to / comments on, when the answer shows it (nullopt: not shown;
    /// "" shown as "no parent", i.e. a top-level post or comment).
    std::optional<std::string> parent;
    std::optional<Instant> created_at;
};

/// What a read-back concluded.
enum class Verdict {
    found,   ///< the part is there: `id` names it
    absent,  ///< the listing covers the window and the part is not in it: safe to send again
    unknown  ///< cannot tell (listing cut short, fields missing)
};

struct ReadBack {
    Verdict verdict = Verdict::unknown;
    std::string id;
    std::string why;  ///< for unknown: one phrase saying why ("the listing has more pages")
};

/// Compares one listed text with ours: equal as is, or after undoing HTML escaping
/// (&amp; &lt; &gt;, as X returns text), or (when `urls_rewritten`, X's t.co links) with every
/// http(s) URL on both sides counted as one placeholder. Never throws beyond std::bad_alloc.
bool same_text(std::string_view listed, std::string_view ours, bool urls_rewritten);

/// Looks for the part with `text` replying to `parent` ("" for a top-level part) in `items`.
/// `more_pages`: the platform said the listing goes on. The listing covers the window when
/// it has no more pages or its oldest item is older than `window_start`. An item whose parent
/// is shown and differs never matches; when `parent_required` the parent must be shown.
/// Never throws beyond std::bad_alloc.
ReadBack find_part(const std::vector<ListedPost>& items, std::string_view text,
                   const std::string& parent, bool parent_required, bool more_pages,
                   Instant window_start, bool urls_rewritten);

/// The start of the read-back window for an attempt: two minutes (clock skew between us and the
/// platform) before the first attempt (or `started` when that is earlier or unknown).
/// Never throws.
Instant window_start(const Part& part, Instant started) noexcept;

/// The Failure for a part the read-back found absent after `why` ("X post got no response"):
/// retry_safe with verify_on_retry, so the next attempt reads back once more before sending.
/// Never throws beyond std::bad_alloc.
Failure absent_failure(std::string_view why, std::string_view what, int http_status);

/// The Failure for a read-back that could not tell: ambiguous (the part becomes `unknown`),
/// the message saying what happened and how to settle it. Never throws beyond std::bad_alloc.
Failure unchecked_failure(std::string_view what, std::string_view first, std::string_view why,
                          int part_index);

}  // namespace growth::publish::detail
