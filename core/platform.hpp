#pragma once
// The seven publishing platforms (DESIGN.md §1): the one enum the whole core uses, and its names.

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace growth {

/// A publishing platform.
enum class Platform { x, linkedin, facebook, instagram, threads, mastodon, bluesky };

/// All platforms in the order preview and lists show them. Throws nothing.
std::span<const Platform> all_platforms() noexcept;

/// The platform's stable lower-case name as typed on the command line and stored: "x",
/// "linkedin", "facebook", "instagram", "threads", "mastodon", "bluesky". Throws nothing.
std::string_view platform_name(Platform p) noexcept;

/// The platform's name as people write it in a sentence: "X", "LinkedIn", "Facebook",
/// "Instagram", "Threads", "Mastodon", "Bluesky". Throws nothing.
std::string_view platform_title(Platform p) noexcept;

/// The platform named `name` (exact, lower case), if any. Throws nothing.
std::optional<Platform> parse_platform(std::string_view name) noexcept;

/// The platform name `name` is a likely typo of ("twitter" is X), else empty.
/// Throws std::bad_alloc.
std::string suggest_platform(std::string_view name);

}  // namespace growth
