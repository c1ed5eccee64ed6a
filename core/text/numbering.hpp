#pragma once
// Thread numbering labels ("1/5", "(1/5)", "🧵 1/5") appended to each part.

#include <optional>
#include <string>
#include <string_view>

namespace growth::text {

/// How parts are numbered. The label goes at the end of each part after one space and counts
/// toward the limit; a text that fits in one part gets no label.
enum class Numbering { none, slash, paren, thread };

/// Parses "none", "1/n", "(1/n)", "🧵 1/n" (also "slash", "paren", "thread"). Throws nothing.
std::optional<Numbering> parse_numbering(std::string_view s) noexcept;

/// The canonical name: "none", "1/n", "(1/n)", "🧵 1/n". Throws nothing.
std::string_view numbering_name(Numbering n) noexcept;

/// The label of part `k` of `n` ("" for Numbering::none). Throws std::bad_alloc.
std::string numbering_label(Numbering style, int k, int n);

}  // namespace growth::text
