// The composed regex is
//   (PRE)((https?://)?(DOMAIN)(?::(PORT))?(/PATH*)?(\?QUERY_CHARS*QUERY_END)?)   flags gi
// Everything after DOMAIN is optional and greedy, so a match is decided by the first DOMAIN the
// backtracking engine finds; each piece below is the regex's behaviour worked out in closed form
// (see the comments), which keeps the scan linear instead of backtracking.
#include "core/text/twitter_url.hpp"

#include <algorithm>
#include <climits>
#include <string>
#include <unordered_map>
#include <utility>

#include "core/text/punycode.hpp"
#include "core/text/twitter_tld.hpp"
#include "core/text/twitter_classes.hpp"
#include "core/text/twitter_tables.hpp"
#include "core/text/utf8.hpp"

namespace growth::text::tw {

namespace {

constexpr std::size_t kNone = static_cast<std::size_t>(-1);
constexpr std::size_t kMaxUrlLength = 4096;
constexpr std::size_t kMaxTcoSlugLength = 40;

char16_t ascii_lower(char16_t u) { return (u >= 'A' && u <= 'Z') ? static_cast<char16_t>(u + 32) : u; }
bool is_ascii_alnum(char16_t u) {
    return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9');
}
bool is_digit(char16_t u) { return u >= '0' && u <= '9'; }

class Matcher {
public:
    explicit Matcher(std::u16string_view t) : t_(t), cls_(unit_classes()) {}

    bool is(std::size_t i, std::uint16_t bits) const { return (cls_[t_[i]] & bits) != 0; }

    std::size_t match_tld(std::size_t pos, std::size_t limit) const { return tw::match_tld(t_, pos, limit); }

    // validDomain = validSubdomain* validDomainName TLD. A label is DC([_-]|DC)*DC or DC, then
    // '.'; since '.' is not a label character, a label at s is the maximal run of [DC_-] from s,
    // valid when it starts and ends with DC and is followed by '.'. The engine tries the most
    // subdomains first; validDomainName is the same without '_'.
    std::size_t match_domain(std::size_t d) {
        // A start right after a dot of the last chain of labels sees the same labels from there
        // on, and which label is followed by a TLD does not depend on the start: reuse the answer
        // (keeps "a.a.a.a..." linear instead of quadratic).
        if (!labels_.empty() && d > chain_first_ && d <= labels_.back().first && t_[d - 1] == '.') {
            const auto it = std::lower_bound(labels_.begin(), labels_.end(), d - 1,
                                             [](const std::pair<std::size_t, bool>& l, std::size_t v) { return l.first < v; });
            if (it != labels_.end() && it->first == d - 1) {
                const auto j = static_cast<std::size_t>(it - labels_.begin());
                return chain_best_ != kNone && chain_best_ >= j + 1 ? chain_end_ : kNone;
            }
        }
        labels_.clear();
        chain_first_ = d;
        chain_best_ = kNone;
        std::size_t s = d;
        while (s < t_.size() && is(s, kDomainChar)) {
            std::size_t r;
            bool underscore;
            if (s > run_start_ && s < run_end_) {
                // Same maximal run as a previous call (scans start at every position of a long
                // CJK run, say): reuse its end instead of rescanning.
                r = run_end_;
                underscore = last_underscore_ != kNone && last_underscore_ >= s;
            } else {
                r = s;
                underscore = false;
                last_underscore_ = kNone;
                while (r < t_.size() && (is(r, kDomainChar) || t_[r] == '-' || t_[r] == '_')) {
                    if (t_[r] == '_') {
                        underscore = true;
                        last_underscore_ = r;
                    }
                    ++r;
                }
                run_start_ = s;
                run_end_ = r;
            }
            if (r >= t_.size() || t_[r] != '.' || !is(r - 1, kDomainChar)) break;
            labels_.push_back({r, underscore});
            s = r + 1;
        }
        for (std::size_t k = labels_.size(); k-- > 0;) {
            if (labels_[k].second) continue;
            const std::size_t end = match_tld(labels_[k].first + 1, t_.size());
            if (end != kNone) {
                chain_best_ = k;
                chain_end_ = end;
                return end;
            }
        }
        return kNone;
    }

    // False when no URL can start at `u`: it needs "http" there, or a domain label there, which
    // ends at a '.' (the maximal run of [DC_-] from u must be followed by '.').
    bool could_start(std::size_t u) {
        const char16_t c = t_[u];
        if (c == 'h' || c == 'H') return true;
        if (!is(u, kDomainChar)) return false;
        std::size_t r;
        if (u > run_start_ && u < run_end_) {
            r = run_end_;
        } else {
            r = u;
            last_underscore_ = kNone;
            while (r < t_.size() && (is(r, kDomainChar) || t_[r] == '-' || t_[r] == '_')) {
                if (t_[r] == '_') last_underscore_ = r;
                ++r;
            }
            run_start_ = u;
            run_end_ = r;
        }
        return r < t_.size() && t_[r] == '.';
    }

    // validUrlBalancedParens at `i` (which holds '('): \( GPC+ \) or \( GPC* \( GPC+ \) GPC* \).
    // Both are deterministic because parentheses are not path characters.
    std::size_t balanced_parens(std::size_t i) const {
        auto run = [&](std::size_t j) {
            while (j < t_.size() && is(j, kPathChar)) ++j;
            return j;
        };
        std::size_t k = run(i + 1);
        if (k > i + 1 && k < t_.size() && t_[k] == ')') return k + 1;
        if (k >= t_.size() || t_[k] != '(') return kNone;
        const std::size_t k2 = run(k + 1);
        if (k2 == k + 1 || k2 >= t_.size() || t_[k2] != ')') return kNone;
        const std::size_t k3 = run(k2 + 1);
        if (k3 >= t_.size() || t_[k3] != ')') return kNone;
        return k3 + 1;
    }

    // validUrlPath* after the '/': the path is a sequence of path characters and balanced
    // parentheses, and the engine settles on the end of the last ending token (an ending
    // character or a parenthesised group). A second iteration can never add anything.
    std::size_t match_path(std::size_t q) const {
        std::size_t i = q, last = q;
        while (i < t_.size()) {
            if (is(i, kPathChar)) {
                if (is(i, kPathEnd)) last = i + 1;
                ++i;
            } else if (t_[i] == '(') {
                const std::size_t b = balanced_parens(i);
                if (b == kNone) break;
                last = b;
                i = b;
            } else {
                break;
            }
        }
        return last;
    }

    // \? validUrlQueryChars* validUrlQueryEndingChars: up to the last ending char of the run.
    std::size_t match_query(std::size_t q) const {
        std::size_t last = kNone;
        for (std::size_t i = q; i < t_.size() && is(i, kQueryChar); ++i)
            if (is(i, kQueryEnd)) last = i + 1;
        return last;
    }

    std::size_t match_protocol(std::size_t u) const {
        auto lower_at = [&](std::size_t i) { return i < t_.size() ? ascii_lower(t_[i]) : u'\0'; };
        if (lower_at(u) != 'h' || lower_at(u + 1) != 't' || lower_at(u + 2) != 't' || lower_at(u + 3) != 'p')
            return 0;
        std::size_t i = u + 4;
        if (lower_at(i) == 's') ++i;
        if (lower_at(i) == ':' && lower_at(i + 1) == '/' && lower_at(i + 2) == '/') return i + 3 - u;
        return 0;
    }

    struct Match {
        std::size_t url_start, proto_len, domain_start, domain_end, path_start, path_end, end;
    };

    // The URL group at `u`: (https?://)? DOMAIN (:PORT)? (/PATH*)? (\?QUERY)?
    bool match_url(std::size_t u, Match& m) {
        std::size_t proto = match_protocol(u);
        std::size_t dend = kNone;
        if (proto) dend = match_domain(u + proto);
        if (dend == kNone) {
            proto = 0;
            dend = match_domain(u);
        }
        if (dend == kNone) return false;
        m = {u, proto, u + proto, dend, kNone, kNone, dend};
        std::size_t pos = dend;
        if (pos + 1 < t_.size() && t_[pos] == ':' && is_digit(t_[pos + 1])) {
            pos += 1;
            while (pos < t_.size() && is_digit(t_[pos])) ++pos;
        }
        if (pos < t_.size() && t_[pos] == '/') {
            m.path_start = pos;
            pos = match_path(pos + 1);
            m.path_end = pos;
        }
        if (pos < t_.size() && t_[pos] == '?') {
            const std::size_t q = match_query(pos + 1);
            if (q != kNone) pos = q;
        }
        m.end = pos;
        return true;
    }

    // validAsciiDomain ((?:[\-a-z0-9latin]+\.)+ TLD, flags gi) at `p`, within [.., limit).
    std::size_t match_ascii_domain(std::size_t p, std::size_t limit) {
        ascii_labels_.clear();
        std::size_t s = p;
        while (true) {
            std::size_t r = s;
            while (r < limit && is(r, kAsciiLabel)) ++r;
            if (r == s || r >= limit || t_[r] != '.') break;
            ascii_labels_.push_back(r + 1);
            s = r + 1;
        }
        for (std::size_t k = ascii_labels_.size(); k-- > 0;) {
            const std::size_t end = match_tld(ascii_labels_[k], limit);
            if (end != kNone) return end;
        }
        return kNone;
    }

    // idna.toAscii(domain) as twitter-text implements it: false where it returns undefined.
    bool idna_ok(std::size_t ds, std::size_t de) {
        const auto domain = t_.substr(ds, de - ds);
        if (domain.substr(0, 4) == u"xn--") {
            bool any = false;
            for (std::size_t p = ds; p < de && !any; ++p) any = match_ascii_domain(p, de) != kNone;
            if (!any) return false;
        }
        std::size_t start = 0;
        for (std::size_t i = 0; i <= domain.size(); ++i) {
            if (i < domain.size() && domain[i] != '.') continue;
            const auto len = punycode_to_ascii_length(domain.substr(start, i - start));
            if (!len || *len < 1 || *len > 63) return false;
            start = i + 1;
        }
        return true;
    }

    // validTcoUrl at the URL start: ^https?://t\.co/([a-z0-9]+)(?:\?QC*QE)?  (flag i).
    // Returns the matched length, kNone for no match, 0 when the slug is too long.
    std::size_t match_tco(std::size_t u, std::size_t proto_len, std::size_t url_end) const {
        std::size_t i = u + proto_len;
        auto at = [&](std::size_t k) { return k < url_end ? ascii_lower(t_[k]) : u'\0'; };
        if (at(i) != 't' || at(i + 1) != '.' || at(i + 2) != 'c' || at(i + 3) != 'o' || at(i + 4) != '/') return kNone;
        i += 5;
        const std::size_t slug = i;
        while (i < url_end && is_ascii_alnum(t_[i])) ++i;
        if (i == slug) return kNone;
        if (i - slug > kMaxTcoSlugLength) return 0;
        if (i < url_end && t_[i] == '?') {
            std::size_t last = kNone;
            for (std::size_t k = i + 1; k < url_end && is(k, kQueryChar); ++k)
                if (is(k, kQueryEnd)) last = k + 1;
            if (last != kNone) i = last;
        }
        return i - u;
    }

    void extract(std::vector<UrlEntity>& out) {
        const std::size_t n = t_.size();
        std::size_t last_index = 0;
        while (last_index <= n) {
            // exec(): the first position where (PRE)(URL) matches. PRE is one preceding char
            // or, only at position 0 and tried last, the empty ^.
            Match m{};
            bool found = false;
            std::size_t before = kNone;  // index of the PRE char, kNone when ^ matched
            std::size_t from = last_index;
            while (!found) {
                // Every URL's domain holds a "domain dot": a '.' after a domain character and
                // before a letter, digit or non-ASCII character (where a TLD starts). A match
                // that uses the next such dot d starts inside the run of [DC_-.] characters
                // around it, at most "https://" plus the preceding character earlier; a match
                // starting after d needs a later dot. So only [run start - 9, d] is scanned.
                std::size_t d = from;
                for (;; ++d) {
                    d = static_cast<std::size_t>(std::find(t_.begin() + static_cast<std::ptrdiff_t>(std::min(d, n)), t_.end(), u'.') - t_.begin());
                    if (d >= n) return;
                    if (d > 0 && d + 1 < n && is(d - 1, kDomainChar) && (is_ascii_alnum(t_[d + 1]) || t_[d + 1] >= 0x80)) break;
                }
                std::size_t st = d;
                while (st > from && (is(st - 1, kDomainChar) || t_[st - 1] == '-' || t_[st - 1] == '_' || t_[st - 1] == '.')) --st;
                const std::size_t window = std::max(from, st >= 9 ? st - 9 : std::size_t{0});
                for (std::size_t p = window; p <= d && p < n; ++p) {
                    if (is(p, kUrlPreceding) && p + 1 < n && could_start(p + 1) && match_url(p + 1, m)) {
                        found = true;
                        before = p;
                        break;
                    }
                    if (p == 0 && could_start(0) && match_url(0, m)) {
                        found = true;
                        break;
                    }
                }
                from = d + 1;
            }
            if (!found) return;
            last_index = m.end;
            const std::size_t url_len = m.end - m.url_start;
            const std::size_t proto_len = m.proto_len ? m.proto_len : 8;  // 'https://'
            if (proto_len + url_len > kMaxUrlLength || !idna_ok(m.domain_start, m.domain_end)) continue;
            if (!m.proto_len) {
                if (before != kNone) {
                    const char16_t b = t_[before];
                    if (b == '-' || b == '_' || b == '.' || b == '/') continue;
                }
                const std::size_t ds = m.domain_start, de = m.domain_end;
                const auto domain = t_.substr(ds, de - ds);
                std::size_t ascii_end = 0;  // relative to the domain
                std::size_t first_new = out.size();
                for (std::size_t p = ds; p < de;) {
                    const std::size_t e = match_ascii_domain(p, de);
                    if (e == kNone) {
                        ++p;
                        continue;
                    }
                    // twitter-text locates the match with indexOf(match, previous end).
                    const auto found_at = domain.find(t_.substr(p, e - p), ascii_end);
                    const std::size_t rel = found_at == std::u16string_view::npos ? p - ds : found_at;
                    ascii_end = rel + (e - p);
                    out.push_back({ds + rel, ds + ascii_end, e - p, false});
                    p = e;
                }
                if (out.size() == first_new) continue;
                if (m.path_start != kNone) {
                    auto& lastu = out.back();
                    lastu.url_length = url_len - domain.size() + lastu.url_length;
                    lastu.end = m.end;
                }
            } else {
                std::size_t len = url_len;
                const std::size_t tco = match_tco(m.url_start, m.proto_len, m.end);
                if (tco == 0) continue;
                if (tco != kNone) len = tco;
                out.push_back({m.url_start, m.url_start + len, len, true});
            }
        }
    }

private:
    std::u16string_view t_;
    const std::uint16_t* cls_;
    std::vector<std::pair<std::size_t, bool>> labels_;  // (index of the '.', has '_')
    std::size_t run_start_ = kNone, run_end_ = 0, last_underscore_ = kNone;  // last label run scanned
    std::size_t chain_first_ = 0, chain_best_ = kNone, chain_end_ = 0;  // last match_domain: start, answer
    std::vector<std::size_t> ascii_labels_;             // start of the text after each '.'
};

}  // namespace

void extract_urls(std::u16string_view text, std::vector<UrlEntity>& out) {
    if (text.find(u'.') == std::u16string_view::npos) return;
    Matcher(text).extract(out);
}

}  // namespace growth::text::tw
