#include "core/platform.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "core/did_you_mean.hpp"

namespace growth {

namespace {

constexpr std::array<Platform, 7> all = {Platform::x,       Platform::linkedin, Platform::facebook,
                                         Platform::instagram, Platform::threads, Platform::mastodon,
                                         Platform::bluesky};
constexpr std::array<std::string_view, 7> names = {"x",       "linkedin", "facebook", "instagram",
                                                   "threads", "mastodon", "bluesky"};

}  // namespace

std::span<const Platform> all_platforms() noexcept { return all; }

std::string_view platform_name(Platform p) noexcept {
    const auto i = static_cast<std::size_t>(p);
    return i < names.size() ? names[i] : "unknown";
}

std::optional<Platform> parse_platform(std::string_view name) noexcept {
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (names[i] == name) return all[i];
    }
    return std::nullopt;
}

std::string_view platform_title(Platform p) noexcept {
    switch (p) {
    case Platform::x: return "X";
    case Platform::linkedin: return "LinkedIn";
    case Platform::facebook: return "Facebook";
    case Platform::instagram: return "Instagram";
    case Platform::threads: return "Threads";
    case Platform::mastodon: return "Mastodon";
    case Platform::bluesky: return "Bluesky";
    }
    return "the platform";
}

std::string suggest_platform(std::string_view name) {
    std::string lower(name);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (lower == "twitter") return "x";
    if (auto near = did_you_mean(name, std::span<const std::string_view>(names))) return std::string(*near);
    return {};
}

}  // namespace growth
