#include "core/publish/bluesky_tid.hpp"

namespace growth::publish::bluesky {

namespace {
constexpr std::string_view kAlphabet = "234567abcdefghijklmnopqrstuvwxyz";
constexpr std::int64_t kMaxMicros = (std::int64_t{1} << 53) - 1;
}  // namespace

std::string make_tid(Micros at, std::uint16_t clock_id) {
    std::int64_t us = at.time_since_epoch().count();
    if (us < 0) us = 0;
    if (us > kMaxMicros) us = kMaxMicros;
    std::uint64_t v = (static_cast<std::uint64_t>(us) << 10) | (clock_id % 1024u);
    std::string out(13, '2');
    for (int i = 12; i >= 0; --i) {
        out[static_cast<std::size_t>(i)] = kAlphabet[v & 31u];
        v >>= 5;
    }
    return out;
}

bool is_tid(std::string_view s) noexcept {
    if (s.size() != 13) return false;
    char first = s[0];
    if (!((first >= '2' && first <= '7') || (first >= 'a' && first <= 'j'))) return false;
    for (char c : s) {
        if (kAlphabet.find(c) == std::string_view::npos) return false;
    }
    return true;
}

std::int64_t tid_micros(std::string_view s) noexcept {
    if (!is_tid(s)) return -1;
    std::uint64_t v = 0;
    for (char c : s) v = (v << 5) | static_cast<std::uint64_t>(kAlphabet.find(c));
    return static_cast<std::int64_t>(v >> 10);
}

std::string TidClock::next(Micros now) {
    std::int64_t us = now.time_since_epoch().count();
    if (us <= last_) us = last_ + 1;
    last_ = us;
    return make_tid(Micros{std::chrono::microseconds{us}}, clock_id_);
}

}  // namespace growth::publish::bluesky
