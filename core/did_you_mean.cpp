#include "core/did_you_mean.hpp"

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

namespace growth {

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// Optimal string alignment distance (Levenshtein plus adjacent transpositions).
std::size_t distance(const std::string& a, const std::string& b) {
    const std::size_t n = a.size(), m = b.size();
    std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1));
    for (std::size_t i = 0; i <= n; ++i) d[i][0] = i;
    for (std::size_t j = 0; j <= m; ++j) d[0][j] = j;
    for (std::size_t i = 1; i <= n; ++i) {
        for (std::size_t j = 1; j <= m; ++j) {
            const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
            }
        }
    }
    return d[n][m];
}

}  // namespace

std::optional<std::string_view> did_you_mean(std::string_view word,
                                             std::span<const std::string_view> candidates) {
    // Names longer than any real one are not typos of them, and keep the table small.
    if (word.empty() || word.size() > 64) return std::nullopt;
    const std::string w = lower(word);
    std::optional<std::string_view> best;
    std::size_t best_distance = 0;
    for (std::string_view c : candidates) {
        const std::string lc = lower(c);
        std::size_t d = distance(w, lc);
        const std::size_t allowed = lc.size() >= 5 ? 2 : 1;
        if (d > allowed && !(w.size() >= 3 && lc.starts_with(w))) continue;
        if (d > allowed) d = allowed + 1;  // an abbreviation ranks after every typo
        if (!best || d < best_distance) {
            best = c;
            best_distance = d;
        }
    }
    return best;
}

std::optional<std::string> did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
    const std::vector<std::string_view> views(candidates.begin(), candidates.end());
    if (auto best = did_you_mean(word, std::span<const std::string_view>(views))) return std::string(*best);
    return std::nullopt;
}

}  // namespace growth
