#pragma once
// Post ids: short, URL- and shell-safe, and sortable by creation time.

#include <cstdint>
#include <string>

#include "core/publish/types.hpp"

namespace growth::pipeline {

/// 11 characters of lower-case Crockford base32: 9 for the millisecond timestamp (sorts by
/// creation time until the year 3084), then 2 from `random` so ids made in the same millisecond
/// differ. The caller retries with other randomness on the rare collision.
/// Throws std::bad_alloc only.
std::string make_post_id(publish::Instant now, std::uint32_t random);

}  // namespace growth::pipeline
