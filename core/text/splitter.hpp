#pragma once
// Splits a long text into the parts of a thread, the way the platform counts.
//
// Rules, in order of priority:
//  1. A line holding only "---" (spaces or tabs around it allowed) is an explicit break marker:
//     the text before and after it always go to different parts, and the marker line is dropped.
//  2. The fewest parts that each fit the platform's limits, numbering label included.
//  3. Among layouts with that many parts, breaks at the best places (paragraph, then line,
//     sentence, clause, word; inside an over-long word at a grapheme boundary as a last resort),
//     balanced so that no part is a stub.
// Never inside a link, mention, hashtag, cashtag or grapheme cluster. Whitespace at a break is
// dropped; nothing else is changed: the parts' bodies, joined with the dropped whitespace, give
// back the text. Deterministic.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/text/numbering.hpp"
#include "core/text/platform.hpp"

namespace growth::text {

/// How to split.
struct SplitOptions {
    Numbering numbering = Numbering::none;
    RuleOptions rules;
    int max_parts = 0;  ///< more parts than this are refused (too_many_parts); 0: no cap
};

/// One part of a thread.
struct Part {
    std::string text;               ///< what is published: body, then " " + label when numbered
    std::size_t source_start = 0;   ///< the body's byte range in the input text
    std::size_t source_end = 0;
    std::string label;              ///< "" or e.g. "2/5"
    Measure measure;                ///< of `text`, as the platform counts
};

/// Splits well-formed or not UTF-8 `text` for platform `p`. A text that fits in one part gives
/// one part without a label. Throws growth::Error("bad_input") for invalid UTF-8 (naming the byte
/// offset) or a text that is empty or only whitespace and markers; growth::Error("unsplittable")
/// when a link, mention, hashtag, cashtag or single grapheme does not fit in a part on its own;
/// growth::Error("too_many_parts") (see text::too_many_parts) when the thread needs more than
/// `options.max_parts` parts.
std::vector<Part> split_text(Platform p, std::string_view text, const SplitOptions& options = {});

namespace detail {
/// Test hook: true makes the balancing pass weigh every candidate part start (the plain scan,
/// quadratic in the breaks per part) instead of skipping the blocks that cannot win. The parts
/// are the same either way; tests compare the two.
inline thread_local bool plain_balance_scan = false;
}  // namespace detail

}  // namespace growth::text
