#include "core/publish/types.hpp"

#include <array>

namespace growth::publish {

namespace {
constexpr std::array<std::pair<Platform, std::string_view>, 7> kNames = {{
    {Platform::x, "x"},
    {Platform::linkedin, "linkedin"},
    {Platform::facebook, "facebook"},
    {Platform::instagram, "instagram"},
    {Platform::threads, "threads"},
    {Platform::mastodon, "mastodon"},
    {Platform::bluesky, "bluesky"},
}};
}  // namespace

std::string_view platform_name(Platform p) noexcept {
    for (const auto& [platform, name] : kNames) {
        if (platform == p) return name;
    }
    return "unknown";
}

std::optional<Platform> parse_platform(std::string_view name) noexcept {
    for (const auto& [platform, n] : kNames) {
        if (n == name) return platform;
    }
    return std::nullopt;
}

std::string_view failure_class_name(FailureClass c) noexcept {
    switch (c) {
        case FailureClass::retry_safe:
            return "retry_safe";
        case FailureClass::rate_limited:
            return "rate_limited";
        case FailureClass::needs_login:
            return "needs_login";
        case FailureClass::permanent:
            return "permanent";
        case FailureClass::ambiguous:
            return "ambiguous";
    }
    return "unknown";
}

}  // namespace growth::publish
