#pragma once
// AT Protocol TIDs (timestamp identifiers), used as client-chosen Bluesky record keys so that a
// retried createRecord can never create a second post (platforms.md §7.6).

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace growth::publish::bluesky {

using Micros = std::chrono::sys_time<std::chrono::microseconds>;

/// Encodes a TID: top bit 0, 53 bits of microseconds since the Unix epoch, 10 bits clock id,
/// as 13 characters of base32-sortable (`234567abcdefghijklmnopqrstuvwxyz`). Negative times are
/// clamped to 0 and `clock_id` is taken modulo 1024. Never throws beyond std::bad_alloc.
std::string make_tid(Micros at, std::uint16_t clock_id);

/// True when `s` is a syntactically valid TID (13 chars, first in [2-7a-j]). Never throws.
bool is_tid(std::string_view s) noexcept;

/// The microseconds since the epoch that TID `s` encodes (its top 53 bits after the zero bit);
/// -1 when `s` is not a TID. Never throws.
std::int64_t tid_micros(std::string_view s) noexcept;

/// Hands out strictly increasing TIDs for one process (bumps by 1 µs when the clock repeats or
/// goes back). The caller commits each TID with its part before sending. Not thread-safe.
class TidClock {
  public:
    /// `clock_id` should be random per process (0..1023). Never throws.
    explicit TidClock(std::uint16_t clock_id) noexcept : clock_id_(clock_id % 1024) {}
    /// The next TID at or after `now`. Never throws beyond std::bad_alloc.
    std::string next(Micros now);

  private:
    std::uint16_t clock_id_;
    std::int64_t last_ = -1;
};

}  // namespace growth::publish::bluesky
