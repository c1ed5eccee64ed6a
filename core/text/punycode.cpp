#include "core/text/punycode.hpp"

#include <cstdint>

namespace growth::text {

namespace {

constexpr std::uint32_t kBase = 36, kTMin = 1, kTMax = 26, kSkew = 38, kDamp = 700;
constexpr std::uint32_t kInitialBias = 72, kInitialN = 128;
constexpr std::uint64_t kMaxInt = 0x7FFFFFFF;

std::uint32_t adapt(std::uint64_t delta, std::uint64_t num_points, bool first) {
    delta = first ? delta / kDamp : delta / 2;
    delta += delta / num_points;
    std::uint32_t k = 0;
    while (delta > ((kBase - kTMin) * kTMax) / 2) {
        delta /= kBase - kTMin;
        k += kBase;
    }
    return static_cast<std::uint32_t>(k + (kBase - kTMin + 1) * delta / (delta + kSkew));
}

// Output length of punycode.js encode() for one piece, as code points (ucs2decode semantics:
// a valid surrogate pair is one code point, a lone surrogate is its own value).
std::optional<std::size_t> encoded_length(std::u16string_view piece) {
    // Decode to code points in a small fixed-size pass; pieces are bounded by URL length.
    std::size_t count = 0;
    std::uint64_t basic = 0;
    auto cp_at = [&](std::size_t& i) -> std::uint32_t {
        const char16_t u = piece[i++];
        if (u >= 0xD800 && u <= 0xDBFF && i < piece.size() && piece[i] >= 0xDC00 && piece[i] <= 0xDFFF)
            return 0x10000 + ((u - 0xD800u) << 10) + (piece[i++] - 0xDC00u);
        return u;
    };
    for (std::size_t i = 0; i < piece.size();) {
        const auto c = cp_at(i);
        ++count;
        if (c < 0x80) ++basic;
    }
    std::size_t out = basic + (basic > 0 ? 1 : 0);  // basic code points, then the delimiter
    std::uint32_t n = kInitialN, bias = kInitialBias;
    std::uint64_t delta = 0, handled = basic;
    while (handled < count) {
        std::uint32_t m = 0xFFFFFFFF;
        for (std::size_t i = 0; i < piece.size();) {
            const auto c = cp_at(i);
            if (c >= n && c < m) m = c;
        }
        if (static_cast<std::uint64_t>(m - n) > (kMaxInt - delta) / (handled + 1)) return std::nullopt;
        delta += static_cast<std::uint64_t>(m - n) * (handled + 1);
        n = m;
        for (std::size_t i = 0; i < piece.size();) {
            const auto c = cp_at(i);
            if (c < n && ++delta > kMaxInt) return std::nullopt;
            if (c == n) {
                std::uint64_t q = delta;
                for (std::uint32_t k = kBase;; k += kBase) {
                    const std::uint32_t t = k <= bias ? kTMin : (k >= bias + kTMax ? kTMax : k - bias);
                    if (q < t) break;
                    ++out;
                    q = (q - t) / (kBase - t);
                }
                ++out;
                bias = adapt(delta, handled + 1, handled == basic);
                delta = 0;
                ++handled;
            }
        }
        ++delta;
        ++n;
    }
    return out;
}

bool is_separator(char16_t u) { return u == u'.' || u == 0x3002 || u == 0xFF0E || u == 0xFF61; }

}  // namespace

std::optional<std::size_t> punycode_to_ascii_length(std::u16string_view label) noexcept {
    std::size_t total = 0;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= label.size(); ++i) {
        if (i < label.size() && !is_separator(label[i])) continue;
        const auto piece = label.substr(start, i - start);
        bool ascii = true;
        for (const char16_t u : piece)
            if (u > 0x7F) ascii = false;
        if (ascii) {
            total += piece.size();
        } else {
            const auto n = encoded_length(piece);
            if (!n) return std::nullopt;
            total += 4 + *n;
        }
        if (i < label.size()) total += 1;  // the "." joining the pieces
        start = i + 1;
    }
    return total;
}

}  // namespace growth::text
