#include "core/text/splitter.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>

#include "core/error.hpp"
#include "core/text/entities.hpp"
#include "core/text/grapheme.hpp"
#include "core/text/measure_sum.hpp"
#include "core/text/post_bounds.hpp"
#include "core/text/split_breaks.hpp"
#include "core/text/utf8.hpp"

namespace growth::text {

namespace {

using detail::Break;

// Measures add up across breaks (whitespace separates what each platform counts), so a part's
// size is estimated from prefix sums; where a sum is provably the part's real measure (see
// Segment::token_at and Piece) it is taken as such, elsewhere the real part text is measured.
struct Acc {
    long length = 0, bytes = 0;
    int hashtags = 0, mentions = 0, links = 0;  // of the width Measure holds them in
    int invalid = 0;  // pieces with a character X refuses
    Acc& operator+=(const Acc& o) {
        length += o.length;
        bytes += o.bytes;
        hashtags += o.hashtags;
        mentions += o.mentions;
        links += o.links;
        invalid += o.invalid;
        return *this;
    }
    friend Acc operator-(Acc a, const Acc& b) {
        a.length -= b.length;
        a.bytes -= b.bytes;
        a.hashtags -= b.hashtags;
        a.mentions -= b.mentions;
        a.links -= b.links;
        a.invalid -= b.invalid;
        return a;
    }
};

Acc to_acc(const Measure& m) { return {m.length, m.bytes, m.hashtags, m.mentions, m.links, m.valid_chars ? 0 : 1}; }

Measure to_measure(const Acc& a) {
    Measure m;
    m.length = a.length;
    m.bytes = a.bytes;
    m.hashtags = a.hashtags;
    m.mentions = a.mentions;
    m.links = a.links;
    m.valid_chars = a.invalid == 0;
    return m;
}

bool acc_within(const Acc& a, const Limits& l) {
    return a.length > 0 && (!l.length || a.length <= l.length) && (!l.bytes || a.bytes <= l.bytes) &&
           (!l.hashtags || a.hashtags <= l.hashtags) && (!l.mentions || a.mentions <= l.mentions) &&
           (!l.links || a.links <= l.links);
}

int digits(int n) {
    int d = 1;
    while (n >= 10) {
        n /= 10;
        ++d;
    }
    return d;
}

int break_penalty(int level) {
    switch (level) {
        case detail::kForced: return 0;
        case detail::kParagraph: return 0;
        case detail::kLine: return 10;
        case detail::kSentence: return 20;
        case detail::kClause: return 60;
        case detail::kWord: return 120;
        default: return 600;
    }
}

std::string describe_limits(Platform p, const Limits& l) {
    std::string s = fmt::format("{} allows {}", platform_name(p), l.length);
    if (p == Platform::bluesky) s += fmt::format(" graphemes and {} bytes", l.bytes);
    s += " per part";
    return s;
}

class Splitter {
public:
    Splitter(Platform p, std::string_view text, const SplitOptions& o)
        : p_(p), text_(text), opt_(o), lim_(limits(p, o.rules)) {}

    std::vector<Part> run() {
        const auto segments = detail::explicit_segments(text_);
        if (segments.empty()) throw Error("bad_input", "the text is empty");
        // A text that fits whole in one part is not split or numbered. A short one is measured
        // as it is; a long one, which seldom fits, from the sums of its breaks, which its split
        // needs anyway (the same measure: no break is inside a token at the text's edges).
        const auto [s0, e0] = segments[0];
        const bool one = segments.size() == 1;
        const bool short_text = e0 - s0 <= 4 * static_cast<std::size_t>(lim_.length) + 4096;
        if (one && short_text) {
            const auto body = text_.substr(s0, e0 - s0);
            const Measure m = measure(p_, body);
            if (within(m, lim_)) return {Part{std::string(body), s0, e0, {}, m}};
        }
        segs_.resize(segments.size());
        for (std::size_t i = 0; i < segments.size(); ++i) build_segment(segs_[i], segments[i].first, segments[i].second);
        if (one && !short_text) {
            const Measure m = summed(segs_[0], 0, segs_[0].breaks.size() - 1, Acc{});
            if (within(m, lim_)) return {Part{std::string(text_.substr(s0, e0 - s0)), s0, e0, {}, m}};
        }
        // Find n such that splitting with labels "k/n" gives n parts. Label widths depend on the
        // digits of n only, so try 1, 2, 3... digits.
        int n = 0;
        if (opt_.numbering == Numbering::none) {
            n = greedy_total(0);
        } else {
            for (int d = digits(greedy_total(0)); d <= 9; ++d) {
                int proxy = 1;
                for (int i = 1; i < d; ++i) proxy *= 10;
                const int m = greedy_total(std::max(proxy, 2));
                if (digits(m) <= d) {
                    n = m;
                    break;
                }
            }
            // Wider labels never give fewer parts, so the first d whose count has at most d
            // digits has exactly d digits, and that count is consistent with its own labels.
        }
        // Refused before the balancing, the costly half: a too-long thread costs one greedy pass.
        if (opt_.max_parts > 0 && n > opt_.max_parts) throw too_many_parts(static_cast<std::size_t>(n), opt_.max_parts);
        return layout(n);
    }

private:
    struct Segment {
        std::vector<Break> breaks;
        // Prefix sums of the pieces' measures, each of size breaks.size(): the words and whitespace
        // before break t's whitespace, and the same through it; so the part from break a to
        // break b is estimated as upto[b] - past[a]. upto_in_place[t] adds the words after
        // whitespace as they measure there (Piece::after_space).
        std::vector<Acc> upto, past, upto_in_place;
        // Tokens that are not additive (detail::additive_token) and hold breaks between
        // characters: a part that starts and ends outside them measures the sum of its pieces
        // with each such token taken whole (upto_in_place counts them whole, at their last
        // break); only the parts cut inside one are measured again. Per break: kInside, the
        // token that starts there, or kNoToken.
        std::vector<std::uint32_t> token_at;
        struct Token {
            std::size_t end;  // its last break
            Acc alone;        // its measure on its own, as a part's first word
            std::pair<std::uint32_t, std::uint32_t> links;  // Threads, on its own
        };
        std::vector<Token> tokens;
        std::vector<std::pair<std::uint32_t, std::uint32_t>> word_links, after_space_links;  // Threads
        std::vector<std::size_t> greedy_ends;  // from the last greedy run
        void clear() {
            breaks.clear();
            upto.clear();
            past.clear();
            upto_in_place.clear();
            token_at.clear();
            tokens.clear();
            word_links.clear();
            after_space_links.clear();
            greedy_ends.clear();
        }
    };

    // The buffers of a split, kept from one split to the next on the thread: a long text's break
    // records and prefix sums are megabytes, and fresh pages cost more than filling them.
    struct Scratch {
        std::vector<Segment> segs;
        std::vector<Break> found;
    };
    static Scratch& thread_scratch() {
        thread_local Scratch s;
        return s;
    }

public:
    // After a split: the buffers stay for the next one up to scratch_keep_bytes; a long text's
    // (megabytes) are given back, so a daemon that split one big post does not stay big.
    static constexpr std::size_t scratch_keep_bytes = 4u << 20;
    static void trim_scratch() noexcept {
        Scratch& s = thread_scratch();
        if (s.segs.capacity() * sizeof(Segment) + s.found.capacity() * sizeof(Break) > scratch_keep_bytes) {
            std::vector<Segment>().swap(s.segs);
            std::vector<Break>().swap(s.found);
        }
    }

private:

    // A word or whitespace run of the text: its measure on its own (what the estimate adds up)
    // and after whitespace (what it adds to a part it does not start: a link's regex may take
    // the character before it as its preceding character on its own, but the whitespace within
    // a part), and (Threads) its links both ways, ranges of piece_links_ (Threads counts distinct
    // links, which do not add up).
    struct Piece {
        Acc acc, after_space;
        std::pair<std::uint32_t, std::uint32_t> links, after_space_links;
    };

    Acc measure_acc(std::string_view s) const { return to_acc(measure(p_, s)); }

    // Only links, mentions, hashtags and cashtags see the character before a word.
    bool counts_entities() const {
        return p_ == Platform::x || p_ == Platform::instagram || p_ == Platform::threads || p_ == Platform::mastodon;
    }

    // The links of `s` (Threads), found in `in` (s after `skip` more bytes), as views of s.
    std::pair<std::uint32_t, std::uint32_t> links_of(std::string_view s, std::string_view in, std::size_t skip) {
        const auto from = static_cast<std::uint32_t>(piece_links_.size());
        for (const auto& e : find_entities(in))
            if (e.kind == EntityKind::url) piece_links_.push_back(s.substr(e.start - skip, e.end - e.start));
        return {from, static_cast<std::uint32_t>(piece_links_.size())};
    }

    Piece measure_piece(std::string_view s) {
        Piece piece{measure_acc(s), {}, {}, {}};
        piece.after_space = piece.acc;
        // A piece that can hold no entity measures the same after a line feed, plus the line feed.
        if (!counts_entities() || detail::additive_token(p_, s)) return piece;
        // After a line feed: every whitespace character is the same to the entity regexes, and a
        // line feed keeps a grapheme boundary before the word as every break has.
        const bool same = detail::same_after_space(s);
        std::string after;
        if (!same) {
            after = "\n";
            after += s;
            piece.after_space = measure_acc(after) - newline_acc_;
        }
        if (p_ == Platform::threads && (piece.acc.links > 0 || piece.after_space.links > 0)) {
            piece.links = links_of(s, s, 0);
            piece.after_space_links = same ? piece.links : links_of(s, after, 1);
        }
        return piece;
    }

    // Each distinct piece is measured once (a measure is a function of the string alone; prose
    // repeats its words and its spaces).
    Piece piece_at(std::size_t start, std::size_t end) {
        if (end == start + 1 && static_cast<unsigned char>(text_[start]) < 0x80) {
            // One ASCII byte (mostly a space between words): a table, not a hash lookup.
            const auto c = static_cast<unsigned char>(text_[start]);
            if (!ascii_known_[c]) {
                ascii_piece_[c] = measure_piece(text_.substr(start, 1));
                ascii_known_[c] = true;
            }
            return ascii_piece_[c];
        }
        const std::string_view piece = text_.substr(start, end - start);
        if (detail::plain_ascii(piece)) {  // most words of Latin-script prose: no lookup either
            Piece plain;
            plain.acc.length = plain.acc.bytes = static_cast<long>(piece.size());
            plain.after_space = plain.acc;
            return plain;
        }
        const auto [it, fresh] = pieces_.try_emplace(piece);
        if (fresh) it->second = measure_piece(piece);
        return it->second;
    }
    Acc piece_acc(std::size_t start, std::size_t end) { return piece_at(start, end).acc; }

    // The label's measure for part k of n, from a table filled per n (labels of the same digit
    // widths measure the same, so the table is indexed by the digits of k).
    const Acc& label_acc(int k, int n) {
        if (n != label_n_) {
            label_n_ = n;
            label_by_digits_.assign(11, Acc{});
            if (opt_.numbering != Numbering::none && n > 1) {
                int k_of_width = 1;
                for (int d = 1; d <= digits(n); ++d, k_of_width *= 10)
                    label_by_digits_[static_cast<std::size_t>(d)] = measure_acc(" " + numbering_label(opt_.numbering, k_of_width, n));
            }
        }
        return label_by_digits_[static_cast<std::size_t>(digits(k))];
    }

    // Fills `seg` (emptied first) with the breaks of [s, e) and their prefix sums.
    void build_segment(Segment& seg, std::size_t s, std::size_t e) {
        seg.clear();
        std::vector<Break>& found = scratch_.found;
        found.clear();
        detail::find_breaks(text_, s, e, entities_, found);
        // Over-long words get grapheme-boundary breaks as a last resort. Each word's measure is
        // looked up once, straight into the prefix sums.
        const Acc worst_label = opt_.numbering == Numbering::none ? Acc{}
                                : measure_acc(" " + numbering_label(opt_.numbering, 99999, 99999));
        Acc words, spaces, after_space;  // sums of the words, the whitespace, the words in place
        seg.upto.push_back(Acc{});
        seg.upto_in_place.push_back(Acc{});
        auto add_break = [&](const Break& b) {
            seg.breaks.push_back(b);
            if (b.ws_end > b.ws_start) spaces += piece_acc(b.ws_start, b.ws_end);
            Acc past = words;
            past += spaces;
            seg.past.push_back(past);
        };
        auto add_word = [&](const Piece& piece) {
            words += piece.acc;
            after_space += piece.after_space;
            Acc upto = words, in_place = after_space;
            upto += spaces;
            in_place += spaces;
            seg.upto.push_back(upto);
            seg.upto_in_place.push_back(in_place);
            if (p_ == Platform::threads) {
                seg.word_links.push_back(piece.links);
                seg.after_space_links.push_back(piece.after_space_links);
            }
        };
        for (std::size_t t = 0; t + 1 < found.size(); ++t) {
            const std::size_t ws = found[t].ws_end, we = found[t + 1].ws_start;
            const Piece word = piece_at(ws, we);
            Acc a = word.acc;
            a += worst_label;
            add_break(found[t]);
            if (acc_within(a, lim_)) {
                add_word(word);
                continue;
            }
            std::size_t from = ws;
            for (const auto x : detail::inner_grapheme_breaks(text_, ws, we, entities_)) {
                add_word(piece_at(from, x));
                add_break({x, x, detail::kGrapheme});
                from = x;
            }
            add_word(piece_at(from, we));
        }
        add_break(found.back());
        mark_tokens(seg);
    }

    static constexpr std::uint32_t kNoToken = 0xFFFFFFFF, kInside = 0xFFFFFFFE;

    // Fills seg.token_at and seg.tokens, and counts each such token whole in upto_in_place and
    // (Threads) after_space_links. Each run of breaks between characters lies in one token, from
    // the break before the run to the break after it (both at whitespace or a segment edge).
    void mark_tokens(Segment& seg) {
        const auto& br = seg.breaks;
        const std::size_t last = br.size() - 1;
        seg.token_at.assign(br.size(), kNoToken);
        auto glued = [&](std::size_t t) { return t > 0 && t < last && br[t].ws_start == br[t].ws_end; };
        fixes_.clear();  // (break, what upto_in_place gains from it on)
        for (std::size_t t = 1; t < last; ++t) {
            if (!glued(t)) continue;
            const std::size_t t0 = t - 1;
            std::size_t u = t;
            while (glued(u)) ++u;
            const std::size_t ts = br[t0].ws_end, te = br[u].ws_start;
            if (!detail::additive_token(p_, text_.substr(ts, te - ts))) {
                const Piece whole = piece_at(ts, te);
                // The token's words as upto_in_place adds them up: the sums from break t0 to u
                // less break t0's whitespace.
                const Acc words = (seg.upto_in_place[u] - seg.upto_in_place[t0]) - (seg.past[t0] - seg.upto[t0]);
                fixes_.emplace_back(u, whole.after_space - words);
                seg.token_at[t0] = static_cast<std::uint32_t>(seg.tokens.size());
                seg.tokens.push_back({u, whole.acc, whole.links});
                for (std::size_t x = t; x < u; ++x) seg.token_at[x] = kInside;
                if (p_ == Platform::threads) {
                    for (std::size_t w = t0; w < u; ++w) seg.after_space_links[w] = {};
                    seg.after_space_links[u - 1] = whole.after_space_links;
                }
            }
            t = u;
        }
        Acc fix;
        std::size_t next = 0;
        for (std::size_t t = 0; t < br.size(); ++t) {
            while (next < fixes_.size() && fixes_[next].first == t) fix += fixes_[next++].second;
            seg.upto_in_place[t] += fix;
        }
    }

    // The part's unused room, 0..1, by length (and bytes where they are capped).
    double slack_of(const Acc& e) const {
        double slack = 1.0 - static_cast<double>(e.length) / static_cast<double>(lim_.length);
        if (lim_.bytes) slack = std::min(slack, 1.0 - static_cast<double>(e.bytes) / static_cast<double>(lim_.bytes));
        return slack;
    }

    // The cheapest cost of each block of kBlock consecutive part ends of the previous row, and of
    // each span of kSpan such blocks (long parts, as on Facebook, have thousands of starts).
    static constexpr std::size_t kBlock = 32, kSpan = 32 * kBlock;
    void fill_block_min(const std::vector<double>& prev) {
        block_min_.assign((prev.size() + kBlock - 1) / kBlock, std::numeric_limits<double>::infinity());
        for (std::size_t x = 0; x < prev.size(); ++x) block_min_[x / kBlock] = std::min(block_min_[x / kBlock], prev[x]);
        span_min_.assign((prev.size() + kSpan - 1) / kSpan, std::numeric_limits<double>::infinity());
        for (std::size_t b = 0; b < block_min_.size(); ++b)
            span_min_[b * kBlock / kSpan] = std::min(span_min_[b * kBlock / kSpan], block_min_[b]);
    }

    // Estimated measure of the part from break a to break b (a < b), label included.
    static Acc estimate_with(const Segment& s, std::size_t a, std::size_t b, const Acc& label) {
        Acc r = s.upto[b] - s.past[a];
        r += label;
        return r;
    }
    Acc estimate(const Segment& s, std::size_t a, std::size_t b, int k, int n) {
        return estimate_with(s, a, b, label_acc(k, n));
    }

    std::string part_text(const Segment& s, std::size_t a, std::size_t b, int k, int n, std::string* label = nullptr) const {
        const std::size_t bs = s.breaks[a].ws_end, be = s.breaks[b].ws_start;
        std::string out(text_.substr(bs, be - bs));
        if (opt_.numbering != Numbering::none && n > 1) {
            const auto l = numbering_label(opt_.numbering, k, n);
            out += ' ';
            out += l;
            if (label) *label = l;
        }
        return out;
    }

    // The measure of the real text of the part from break a to break b of segment s, part k of
    // n: the estimate where that is exact, else the part measured (and kept, so that the layout
    // does not measure its parts again).
    Measure exact(const Segment& s, std::size_t a, std::size_t b, int k, int n) {
        if (additive(s, a, b)) return summed(s, a, b, label_acc(k, n));
        const auto key = std::make_tuple(&s, a, b, k, n);
        auto it = exact_.find(key);
        if (it == exact_.end()) it = exact_.emplace(key, measure(p_, part_text(s, a, b, k, n))).first;
        return it->second;
    }

    // Whether the part from break a to break b measures the sum of its pieces.
    static bool additive(const Segment& s, std::size_t a, std::size_t b) {
        return s.token_at[a] != kInside && s.token_at[b] != kInside;
    }
    // The part's first word (or token, see Segment::token_at) as it is, the others after
    // whitespace (or, in an additive token, after a break between characters, where neither way
    // holds an entity).
    Measure summed(const Segment& s, std::size_t a, std::size_t b, const Acc& label) {
        Acc r;
        std::size_t first_end = a + 1;
        if (s.token_at[a] != kNoToken) {
            const auto& tok = s.tokens[s.token_at[a]];
            first_end = tok.end;
            r = tok.alone;
        } else {
            r = s.upto[a + 1] - s.past[a];
        }
        r += s.upto_in_place[b] - s.upto_in_place[first_end];
        r += label;
        Measure m = to_measure(r);
        if (p_ == Platform::threads && m.links > 1) m.links = distinct_links(s, a, b);
        return m;
    }

    // Distinct links of the words from break a to break b (labels hold none).
    int distinct_links(const Segment& s, std::size_t a, std::size_t b) {
        links_buf_.clear();
        auto add = [&](std::pair<std::uint32_t, std::uint32_t> range) {
            for (auto l = range.first; l < range.second; ++l) links_buf_.push_back(piece_links_[l]);
        };
        std::size_t first_end = a + 1;
        if (s.token_at[a] != kNoToken) {
            const auto& tok = s.tokens[s.token_at[a]];
            first_end = tok.end;
            add(tok.links);
        } else {
            add(s.word_links[a]);
        }
        for (std::size_t t = first_end; t < b; ++t) add(s.after_space_links[t]);
        std::sort(links_buf_.begin(), links_buf_.end());
        return static_cast<int>(std::unique(links_buf_.begin(), links_buf_.end()) - links_buf_.begin());
    }
    bool fits_exact(const Segment& s, std::size_t a, std::size_t b, int k, int n) {
        return within(exact(s, a, b, k, n), lim_);
    }

    [[noreturn]] void unsplittable(const Segment& s, std::size_t a) const {
        const std::size_t ws = s.breaks[a].ws_end, we = s.breaks[a + 1].ws_start;
        std::string token(text_.substr(ws, we - ws));
        if (token.size() > 40) {
            std::size_t cut = 37;
            while (cut > 0 && (static_cast<unsigned char>(token[cut]) & 0xC0) == 0x80) --cut;
            token = token.substr(0, cut) + "...";
        }
        throw Error("unsplittable", fmt::format("\"{}\" cannot be split and does not fit in one part ({})", token,
                                                describe_limits(p_, lim_)));
    }

    // The furthest break b > a whose part fits, for part k of n.
    std::size_t furthest(const Segment& s, std::size_t a, int k, int n) {
        const std::size_t last = s.breaks.size() - 1;
        std::size_t b = a + 1;
        while (b < last && acc_within(estimate(s, a, b + 1, k, n), lim_)) ++b;
        while (b > a && !fits_exact(s, a, b, k, n)) --b;
        if (b == a) unsplittable(s, a);
        return b;
    }

    // Parts the greedy packing needs with labels "k/n" (n = 0: no labels).
    int greedy_total(int n) {
        const int key = (opt_.numbering == Numbering::none || n <= 1) ? 0 : digits(n);
        if (key == greedy_key_) return greedy_count_;
        greedy_key_ = key;
        int k = 0;
        for (auto& s : segs_) {
            s.greedy_ends.clear();
            std::size_t a = 0;
            while (a + 1 < s.breaks.size()) {
                ++k;
                a = furthest(s, a, k, n);
                s.greedy_ends.push_back(a);
            }
        }
        greedy_count_ = k;
        return k;
    }

    // A balanced layout whose parts the estimate got wrong is searched again without them this
    // many times at most, then the verified greedy layout stands: the estimate is exact at spaces,
    // and few texts (links glued to CJK) miss it more than once or twice, but each search is a
    // pass over the segment.
    static constexpr int kBalanceAttempts = 4;

    // The best layout of segment `s` in exactly `c` parts numbered from k0 (of n), by dynamic
    // programming over break positions within the windows the greedy passes allow.
    std::vector<std::size_t> balance(const Segment& s, std::size_t c, int k0, int n) {
        const std::size_t last = s.breaks.size() - 1;
        if (c == 1) return {last};
        // Forward reach after j parts (greedy) and earliest start leaving c-j parts (backward).
        std::vector<std::size_t> hi(c + 1), lo(c + 1);
        hi[0] = 0;
        for (std::size_t j = 1; j <= c; ++j) hi[j] = s.greedy_ends[j - 1];  // the greedy run's reach
        lo[c] = last;
        for (std::size_t j = c; j-- > 0;) {
            std::size_t a = lo[j + 1];
            const int k = k0 + static_cast<int>(j);
            while (a > 0 && acc_within(estimate(s, a - 1, lo[j + 1], k, n), lim_)) --a;
            lo[j] = std::min(a, lo[j + 1] - 1);
        }
        lo[0] = 0;
        for (std::size_t j = 1; j < c; ++j) {
            if (lo[j] > hi[j]) return s.greedy_ends;  // estimates disagree; keep the verified greedy
            // Let a part end move back by at most one greedy part's worth of breaks: the slack of
            // a long thread would otherwise make the windows (and the work) grow without bound.
            lo[j] = std::max(lo[j], hi[j] - std::min(hi[j], std::max<std::size_t>(8, hi[j] - hi[j - 1])));
        }
        const double inf = std::numeric_limits<double>::infinity();
        std::vector<std::vector<double>> cost(c + 1);
        std::vector<std::vector<std::size_t>> from(c + 1);
        cost[0] = {0.0};
        from[0] = {0};
        auto window_lo = [&](std::size_t j) { return j == c ? last : lo[j]; };
        auto window_hi = [&](std::size_t j) { return j == c ? last : hi[j]; };
        for (int attempt = 0; attempt < kBalanceAttempts; ++attempt) {
            for (std::size_t j = 1; j <= c; ++j) {
                const std::size_t wl = std::max(window_lo(j), j), wh = window_hi(j);
                cost[j].assign(wh + 1 - window_lo(j), inf);
                from[j].assign(wh + 1 - window_lo(j), 0);
                const std::size_t pl = j == 1 ? 0 : window_lo(j - 1), ph = j == 1 ? 0 : window_hi(j - 1);
                const int k = k0 + static_cast<int>(j) - 1;
                const Acc label = label_acc(k, n);
                const std::vector<double>& prev = cost[j - 1];
                if (!detail::plain_balance_scan) fill_block_min(prev);
                std::size_t first_fit = pl;  // no start below it fits for this i or any later one
                for (std::size_t i = wl; i <= wh; ++i) {
                    const double pen = break_penalty(s.breaks[i].level);
                    double& best = cost[j][i - window_lo(j)];
                    std::size_t& best_from = from[j][i - window_lo(j)];
                    // One candidate start, as the plain scan weighs it.
                    auto weigh = [&](std::size_t ip, const Acc& e) {
                        const double before = prev[ip - pl];
                        if (before == inf || (!bad_.empty() && bad_.count({ip, i}))) return;
                        const double c_here = before + 1000.0 * slack_of(e) * slack_of(e) + pen;
                        if (c_here < best) {
                            best = c_here;
                            best_from = ip;
                        }
                    };
                    if (std::min(ph, i - 1) < pl) continue;
                    const std::size_t top = std::min(ph, i - 1);
                    if (detail::plain_balance_scan) {
                        // Earlier starts only make the part longer: walk back until it stops fitting.
                        for (std::size_t ip = top + 1; ip-- > pl;) {
                            const Acc e = estimate_with(s, ip, i, label);
                            if (!acc_within(e, lim_)) break;
                            weigh(ip, e);
                        }
                        continue;
                    }
                    // The same scan, from `top` down, over the starts that fit ([first_fit, top]:
                    // the fit is monotone, and the lowest one only rises with i), skipping every
                    // block of starts whose lower bound cannot beat `best`. The bound is the
                    // block's cheapest `before` plus the slack cost of the block's longest part,
                    // computed with the same operations; IEEE rounding is monotone, so a skipped
                    // start could never have been strictly better, and the result is the plain
                    // scan's to the bit (the property test checks it).
                    if (!acc_within(estimate_with(s, top, i, label), lim_)) continue;
                    while (first_fit < top && !acc_within(estimate_with(s, first_fit, i, label), lim_)) ++first_fit;
                    // A good first guess, the previous end's best start, tightens the bound from
                    // the start; a block is kept while it may hold a start as cheap as the guess.
                    double guess = inf;
                    if (i > wl && cost[j][i - 1 - window_lo(j)] != inf) {
                        const std::size_t g = from[j][i - 1 - window_lo(j)];
                        if (g >= first_fit && g <= top && prev[g - pl] != inf && (bad_.empty() || !bad_.count({g, i}))) {
                            const Acc e = estimate_with(s, g, i, label);
                            guess = prev[g - pl] + 1000.0 * slack_of(e) * slack_of(e) + pen;
                        }
                    }
                    // Whether starts from `from_start` up whose cheapest `before` is `min` may win.
                    auto may_win = [&](double min, std::size_t from_start) {
                        const Acc longest = estimate_with(s, from_start, i, label);
                        const double bound = min + 1000.0 * slack_of(longest) * slack_of(longest) + pen;
                        return min != inf && bound < best && bound <= guess;
                    };
                    std::size_t ip = top;
                    for (;;) {
                        // A span whose bound cannot win holds no block whose bound can (each
                        // block's cheapest `before` and shortest slack are no lower): skip it.
                        if (ip == top || (ip - pl + 1) % kSpan == 0) {
                            const std::size_t span = (ip - pl) / kSpan;
                            const std::size_t span_lo = std::max(first_fit, pl + span * kSpan);
                            if (!may_win(span_min_[span], span_lo)) {
                                if (span_lo <= first_fit) break;
                                ip = span_lo - 1;
                                continue;
                            }
                        }
                        const std::size_t block = (ip - pl) / kBlock;
                        const std::size_t block_lo = std::max(first_fit, pl + block * kBlock);
                        if (may_win(block_min_[block], block_lo)) {
                            for (std::size_t x = ip + 1; x-- > block_lo;) weigh(x, estimate_with(s, x, i, label));
                        }
                        if (block_lo <= first_fit) break;
                        ip = block_lo - 1;
                    }
                }
            }
            if (cost[c][0] == inf) break;
            std::vector<std::size_t> ends(c);
            std::size_t i = last;
            for (std::size_t j = c; j > 0; --j) {
                ends[j - 1] = i;
                i = from[j][i - window_lo(j)];
            }
            // Confirm every part by measuring its real text.
            bool ok = true;
            std::size_t a = 0;
            for (std::size_t j = 0; j < c && ok; ++j) {
                if (!fits_exact(s, a, ends[j], k0 + static_cast<int>(j), n)) {
                    bad_.insert({a, ends[j]});
                    ok = false;
                }
                a = ends[j];
            }
            if (ok) return ends;
        }
        return s.greedy_ends;
    }

    std::vector<Part> layout(int n) {
        // Re-run the greedy with the final labels so greedy_ends are exact for n.
        const int labels_n = opt_.numbering == Numbering::none ? 2 : n;
        greedy_total(labels_n);
        std::vector<Part> parts;
        int k = 1;
        for (auto& s : segs_) {
            bad_.clear();
            const auto ends = balance(s, s.greedy_ends.size(), k, labels_n);
            std::size_t a = 0;
            for (const auto b : ends) {
                Part part;
                part.text = part_text(s, a, b, k, labels_n, &part.label);
                part.source_start = s.breaks[a].ws_end;
                part.source_end = s.breaks[b].ws_start;
                part.measure = exact(s, a, b, k, labels_n);
                parts.push_back(std::move(part));
                a = b;
                ++k;
            }
        }
        return parts;
    }

    Platform p_;
    std::string_view text_;
    SplitOptions opt_;
    Limits lim_;
    detail::EntityGuard entities_{text_};
    Scratch& scratch_ = thread_scratch();
    std::vector<Segment>& segs_ = scratch_.segs;
    int label_n_ = -1;
    int greedy_key_ = -1, greedy_count_ = 0;  // the last greedy run: label digits and its count
    std::vector<Acc> label_by_digits_;
    std::set<std::pair<std::size_t, std::size_t>> bad_;
    std::unordered_map<std::string_view, Piece> pieces_;
    const Acc newline_acc_ = measure_acc("\n");
    std::vector<std::string_view> piece_links_;
    std::vector<std::string_view> links_buf_;
    std::array<Piece, 128> ascii_piece_{};  // pieces of one ASCII byte, by that byte
    std::array<bool, 128> ascii_known_{};
    std::vector<double> block_min_, span_min_;
    std::vector<std::pair<std::size_t, Acc>> fixes_;
    std::map<std::tuple<const Segment*, std::size_t, std::size_t, int, int>, Measure> exact_;
};

}  // namespace

std::vector<Part> split_text(Platform p, std::string_view text, const SplitOptions& options) {
    require_valid_utf8(text);
    struct Trim {
        ~Trim() { Splitter::trim_scratch(); }
    } trim;
    return Splitter(p, text, options).run();
}

}  // namespace growth::text
