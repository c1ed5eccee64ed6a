#pragma once
// Reading "when may I try again" from each platform's headers (platforms.md §1.5, §3.5, §6.5,
// §7.5).

#include <optional>
#include <string_view>

#include "core/http/message.hpp"
#include "core/publish/types.hpp"

namespace growth::publish {

/// Unix epoch seconds ("1767225600") as an Instant; nullopt unless all digits. Never throws.
std::optional<Instant> parse_epoch_seconds(std::string_view s) noexcept;

/// ISO 8601 / RFC 3339 date-time ("2026-01-01T12:05:00.000000Z", "...+02:00"); nullopt when
/// malformed or out of range. Never throws.
std::optional<Instant> parse_iso8601(std::string_view s) noexcept;

/// Retry-After: delta seconds from `now`, or an IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT").
/// Never throws.
std::optional<Instant> parse_retry_after(std::string_view s, Instant now) noexcept;

/// X: the later of `x-rate-limit-reset` and, when exhausted, `x-user-limit-24hour-reset` /
/// `x-app-limit-24hour-reset` (epoch seconds); else Retry-After. Never throws.
std::optional<Instant> x_reset(const http::Headers& h, Instant now) noexcept;

/// Mastodon: `X-RateLimit-Reset` (ISO 8601), else Retry-After. Never throws.
std::optional<Instant> mastodon_reset(const http::Headers& h, Instant now) noexcept;

/// Bluesky: `RateLimit-Reset` (epoch seconds), else Retry-After. Never throws.
std::optional<Instant> bluesky_reset(const http::Headers& h, Instant now) noexcept;

/// Meta (Facebook, Instagram, Threads): `now` + the largest `estimated_time_to_regain_access`
/// (minutes) in `X-Business-Use-Case-Usage`; else, when `X-App-Usage` (or `X-Page-Usage`) shows
/// a value ≥ 100 %, `now` + 1 hour (the rolling window); else Retry-After. Malformed header
/// JSON is ignored. Never throws beyond std::bad_alloc.
std::optional<Instant> meta_reset(const http::Headers& h, Instant now);

/// Generic: Retry-After only (LinkedIn documents no rate-limit headers). Never throws.
std::optional<Instant> retry_after_reset(const http::Headers& h, Instant now) noexcept;

}  // namespace growth::publish
