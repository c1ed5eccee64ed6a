#include "core/publish/rate_limit.hpp"

#include <algorithm>
#include <array>
#include <charconv>

#include <date/date.h>

#include "core/publish/json_fields.hpp"

namespace growth::publish {

namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

// Reads exactly `n` digits at `pos`; advances pos. -1 on failure.
long long take_digits(std::string_view s, std::size_t& pos, std::size_t n) noexcept {
    if (pos + n > s.size()) return -1;
    long long v = 0;
    for (std::size_t i = 0; i < n; ++i) {
        char c = s[pos + i];
        if (c < '0' || c > '9') return -1;
        v = v * 10 + (c - '0');
    }
    pos += n;
    return v;
}

bool take_char(std::string_view s, std::size_t& pos, char c) noexcept {
    if (pos < s.size() && s[pos] == c) {
        ++pos;
        return true;
    }
    return false;
}

std::string_view trim(std::string_view s) noexcept {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// A civil date-time to an Instant; nullopt when a field is out of range.
std::optional<Instant> civil(long long y, long long mo, long long d, long long h, long long mi,
                             long long sec) noexcept {
    if (y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
        sec > 60)
        return std::nullopt;
    date::year_month_day ymd{date::year{static_cast<int>(y)},
                             date::month{static_cast<unsigned>(mo)},
                             date::day{static_cast<unsigned>(d)}};
    if (!ymd.ok()) return std::nullopt;
    auto tp = date::sys_days{ymd} + hours{h} + minutes{mi} + seconds{sec};
    return std::chrono::time_point_cast<std::chrono::milliseconds>(tp);
}

std::optional<Instant> header_reset(
    const http::Headers& h, std::string_view name,
    std::optional<Instant> (*parse)(std::string_view) noexcept) noexcept {
    auto v = h.get(name);
    if (!v) return std::nullopt;
    return parse(trim(*v));
}

}  // namespace

std::optional<Instant> parse_epoch_seconds(std::string_view s) noexcept {
    s = trim(s);
    if (s.empty() || s.size() > 12) return std::nullopt;  // beyond year 33658: nonsense
    long long v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size() || v < 0) return std::nullopt;
    return Instant{std::chrono::milliseconds{v * 1000}};
}

std::optional<Instant> parse_iso8601(std::string_view s) noexcept {
    s = trim(s);
    std::size_t pos = 0;
    long long y = take_digits(s, pos, 4);
    if (y < 0 || !take_char(s, pos, '-')) return std::nullopt;
    long long mo = take_digits(s, pos, 2);
    if (mo < 0 || !take_char(s, pos, '-')) return std::nullopt;
    long long d = take_digits(s, pos, 2);
    if (d < 0) return std::nullopt;
    if (!(take_char(s, pos, 'T') || take_char(s, pos, 't') || take_char(s, pos, ' ')))
        return std::nullopt;
    long long h = take_digits(s, pos, 2);
    if (h < 0 || !take_char(s, pos, ':')) return std::nullopt;
    long long mi = take_digits(s, pos, 2);
    if (mi < 0 || !take_char(s, pos, ':')) return std::nullopt;
    long long sec = take_digits(s, pos, 2);
    if (sec < 0) return std::nullopt;
    long long millis = 0;
    if (take_char(s, pos, '.') || take_char(s, pos, ',')) {
        std::size_t digits = 0;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
            if (digits < 3) millis = millis * 10 + (s[pos] - '0');
            ++digits;
            ++pos;
        }
        if (digits == 0) return std::nullopt;
        for (std::size_t i = digits; i < 3; ++i) millis *= 10;
    }
    long long offset_minutes = 0;
    if (pos < s.size()) {
        if (s[pos] == 'Z' || s[pos] == 'z') {
            ++pos;
        } else if (s[pos] == '+' || s[pos] == '-') {
            int sign = s[pos] == '-' ? -1 : 1;
            ++pos;
            long long oh = take_digits(s, pos, 2);
            take_char(s, pos, ':');
            long long om = take_digits(s, pos, 2);
            if (oh < 0 || om < 0 || oh > 23 || om > 59) return std::nullopt;
            offset_minutes = sign * (oh * 60 + om);
        } else {
            return std::nullopt;
        }
    }
    if (pos != s.size()) return std::nullopt;
    auto base = civil(y, mo, d, h, mi, sec);
    if (!base) return std::nullopt;
    return *base + std::chrono::milliseconds{millis} - minutes{offset_minutes};
}

std::optional<Instant> parse_retry_after(std::string_view s, Instant now) noexcept {
    s = trim(s);
    if (s.empty()) return std::nullopt;
    if (std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        if (s.size() > 9) return std::nullopt;
        long long v = 0;
        std::from_chars(s.data(), s.data() + s.size(), v);
        return now + seconds{v};
    }
    // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT".
    auto comma = s.find(", ");
    if (comma == std::string_view::npos) return std::nullopt;
    std::size_t pos = comma + 2;
    long long d = take_digits(s, pos, 2);
    if (d < 0 || !take_char(s, pos, ' ') || pos + 3 > s.size()) return std::nullopt;
    static constexpr std::array<std::string_view, 12> kMonths = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    auto mon = s.substr(pos, 3);
    long long mo = 0;
    for (std::size_t i = 0; i < kMonths.size(); ++i) {
        if (kMonths[i] == mon) mo = static_cast<long long>(i) + 1;
    }
    pos += 3;
    if (mo == 0 || !take_char(s, pos, ' ')) return std::nullopt;
    long long y = take_digits(s, pos, 4);
    if (y < 0 || !take_char(s, pos, ' ')) return std::nullopt;
    long long h = take_digits(s, pos, 2);
    if (h < 0 || !take_char(s, pos, ':')) return std::nullopt;
    long long mi = take_digits(s, pos, 2);
    if (mi < 0 || !take_char(s, pos, ':')) return std::nullopt;
    long long sec = take_digits(s, pos, 2);
    if (sec < 0 || s.substr(pos) != " GMT") return std::nullopt;
    return civil(y, mo, d, h, mi, sec);
}

std::optional<Instant> retry_after_reset(const http::Headers& h, Instant now) noexcept {
    auto v = h.get("Retry-After");
    if (!v) return std::nullopt;
    return parse_retry_after(*v, now);
}

std::optional<Instant> x_reset(const http::Headers& h, Instant now) noexcept {
    std::optional<Instant> best = header_reset(h, "x-rate-limit-reset", parse_epoch_seconds);
    // The 24-hour limits only matter when they are the exhausted ones.
    for (auto [remaining, reset] :
         {std::pair{"x-user-limit-24hour-remaining", "x-user-limit-24hour-reset"},
          std::pair{"x-app-limit-24hour-remaining", "x-app-limit-24hour-reset"}}) {
        auto rem = h.get(remaining);
        if (!rem || trim(*rem) != "0") continue;
        auto r = header_reset(h, reset, parse_epoch_seconds);
        if (r && (!best || *r > *best)) best = r;
    }
    if (best) return best;
    return retry_after_reset(h, now);
}

std::optional<Instant> mastodon_reset(const http::Headers& h, Instant now) noexcept {
    if (auto r = header_reset(h, "X-RateLimit-Reset", parse_iso8601)) return r;
    return retry_after_reset(h, now);
}

std::optional<Instant> bluesky_reset(const http::Headers& h, Instant now) noexcept {
    if (auto r = header_reset(h, "RateLimit-Reset", parse_epoch_seconds)) return r;
    return retry_after_reset(h, now);
}

std::optional<Instant> meta_reset(const http::Headers& h, Instant now) {
    long long regain_minutes = -1;
    if (auto buc = h.get("X-Business-Use-Case-Usage")) {
        if (auto j = parse_json(*buc); j && j->is_object()) {
            for (const auto& [id, entries] : j->items()) {
                if (!entries.is_array()) continue;
                for (const auto& e : entries) {
                    auto m = integer_member(e, "estimated_time_to_regain_access");
                    if (m && *m > regain_minutes && *m < 100000) regain_minutes = *m;
                }
            }
        }
    }
    if (regain_minutes > 0) return now + minutes{regain_minutes};
    for (const char* name : {"X-App-Usage", "X-Page-Usage"}) {
        auto v = h.get(name);
        if (!v) continue;
        auto j = parse_json(*v);
        if (!j || !j->is_object()) continue;
        for (const char* key : {"call_count", "total_cputime", "total_time"}) {
            auto m = integer_member(*j, key);
            if (m && *m >= 100) return now + hours{1};
        }
    }
    return retry_after_reset(h, now);
}

}  // namespace growth::publish
