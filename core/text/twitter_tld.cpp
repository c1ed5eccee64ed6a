// TLD matching of twitter-text's URL regex: (?:GTLD|CCTLD|PUNYCODE) with each TLD alternative
// followed by (?=[^0-9a-zA-Z@+-]|$), case-insensitive.
#include "core/text/twitter_tld.hpp"

#include <algorithm>
#include <climits>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/text/twitter_classes.hpp"
#include "core/text/twitter_tables.hpp"
#include "core/text/utf8.hpp"

namespace growth::text::tw {

namespace {

constexpr std::size_t kNone = static_cast<std::size_t>(-1);

struct TldData {
    std::unordered_map<std::string_view, int> ascii;          // pure [a-z0-9-] TLD -> order
    std::vector<std::pair<int, std::u16string>> special;      // the rest, in order
    // For each text unit, the indices into `special` of the TLDs whose first unit it can match.
    std::unordered_map<char16_t, std::vector<std::uint32_t>> special_by_first;
};

const TldData& tld_data() {
    static const TldData data = [] {
        TldData d;
        int order = 0;
        for (const auto tld : tables::tlds) {
            const bool plain = std::all_of(tld.begin(), tld.end(), [](char c) {
                return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
            });
            if (plain) {
                d.ascii.emplace(tld, order);
            } else {
                std::u16string u;
                for (std::size_t i = 0; i < tld.size();) append_utf16(u, decode_utf8(tld, i));
                const auto index = static_cast<std::uint32_t>(d.special.size());
                d.special_by_first[u[0]].push_back(index);
                for (const auto& pair : tables::tld_case_pairs)
                    if (pair.hi == u[0]) d.special_by_first[pair.lo].push_back(index);
                d.special.emplace_back(order, std::move(u));
            }
            ++order;
        }
        for (auto& [unit, list] : d.special_by_first) std::sort(list.begin(), list.end());
        return d;
    }();
    return data;
}

char16_t ascii_lower(char16_t u) { return (u >= 'A' && u <= 'Z') ? static_cast<char16_t>(u + 32) : u; }
bool is_ascii_alnum(char16_t u) {
    return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9');
}

// Whether text unit `t` equals TLD unit `c` under the regex's case-insensitive comparison.
bool tld_unit_equal(char16_t t, char16_t c) {
    if (t == c) return true;
    const auto& pairs = tables::tld_case_pairs;
    const auto it = std::lower_bound(pairs.begin(), pairs.end(), std::make_pair(t, c),
                                     [](const tables::UnitRange& r, const std::pair<char16_t, char16_t>& k) {
                                         return r.lo < k.first || (r.lo == k.first && r.hi < k.second);
                                     });
    return it != pairs.end() && it->lo == t && it->hi == c;
}

}  // namespace

// (?:GTLD|CCTLD|PUNYCODE) at `pos`; `limit` is where `$` matches. Every TLD alternative is
// followed by (?=[^0-9a-zA-Z@+-]|$), so the first alternative in list order that matches and
// is followed by such a character wins. A plain ASCII TLD can only match the whole run of
// [0-9a-zA-Z@+-] characters starting at `pos`, so it is found by one lookup.
std::size_t match_tld(std::u16string_view text, std::size_t pos, std::size_t limit) {
const std::uint16_t* cls = unit_classes();
auto is = [&](std::size_t i, std::uint16_t bits) { return (cls[text[i]] & bits) != 0; };
    if (pos >= limit) return kNone;
    const TldData& d = tld_data();
    int best = INT_MAX;
    std::size_t best_end = kNone;
    std::size_t e = pos;
    bool plain = true;
    while (e < limit && e - pos <= 64) {
        const char16_t u = text[e];
        if (is_ascii_alnum(u) || u == '-') { ++e; continue; }
        if (u == '@' || u == '+') plain = false;
        break;
    }
    if (plain && e > pos && e - pos <= 64 && (e == limit || is(e, kTldFollower))) {
        char key[64];
        for (std::size_t i = pos; i < e; ++i) key[i - pos] = static_cast<char>(ascii_lower(text[i]));
        const auto it = d.ascii.find(std::string_view(key, e - pos));
        if (it != d.ascii.end()) {
            best = it->second;
            best_end = e;
        }
    }
    const auto candidates = d.special_by_first.find(text[pos]);
    if (candidates != d.special_by_first.end()) for (const auto index : candidates->second) {
        const auto& [order, tld] = d.special[index];
        if (order > best) break;
        if (pos + tld.size() > limit) continue;
        bool eq = true;
        for (std::size_t k = 0; k < tld.size() && eq; ++k) eq = tld_unit_equal(text[pos + k], tld[k]);
        const std::size_t end = pos + tld.size();
        if (eq && (end == limit || is(end, kTldFollower))) {
            best = order;
            best_end = end;
            break;
        }
    }
    if (best_end != kNone) return best_end;
    // validPunycode: xn--[\-0-9a-z]+ (case-insensitive), greedy, no lookahead.
    if (pos + 4 < limit && ascii_lower(text[pos]) == 'x' && ascii_lower(text[pos + 1]) == 'n' &&
        text[pos + 2] == '-' && text[pos + 3] == '-') {
        std::size_t q = pos + 4;
        while (q < limit && (is_ascii_alnum(text[q]) || text[q] == '-')) ++q;
        if (q > pos + 4) return q;
    }
    return kNone;
}

}  // namespace growth::text::tw
