// The emoji regex has only alternation, `?` and one negative lookahead, so its language is finite:
// the generator lists every string in the order the backtracking engine tries them. The match at a
// position is the earliest-listed string that fits, found here with a trie that keeps, per node,
// the rank of the first string ending there.
#include "core/text/twitter_emoji.hpp"

#include <climits>
#include <cstdint>
#include <memory>
#include <vector>

#include "core/text/twitter_tables.hpp"

namespace growth::text::tw {

namespace {

constexpr char16_t kNotFe0e = 0;  // the assertion edge (?!\ufe0e)

struct Node {
    int rank = INT_MAX;  // rank of the first listed string ending here
    std::vector<std::pair<char16_t, std::uint32_t>> children;
};

struct Trie {
    std::vector<Node> nodes;
    std::unique_ptr<std::uint32_t[]> root;  // first unit -> node, 0 = none

    Trie() : root(std::make_unique<std::uint32_t[]>(0x10000)) {
        nodes.emplace_back();  // index 0: the root (its edges live in `root` for speed)
        const auto data = tables::emoji_paths;
        int rank = 0;
        for (std::size_t i = 0; i < data.size(); ++rank) {
            const std::size_t len = data[i++];
            std::uint32_t node = 0;
            for (std::size_t k = 0; k < len; ++k) {
                const char16_t u = data[i + k];
                node = child(node, u);
            }
            if (nodes[node].rank == INT_MAX) nodes[node].rank = rank;
            i += len;
        }
    }

    std::uint32_t child(std::uint32_t node, char16_t u) {
        if (node == 0 && u != kNotFe0e) {
            if (!root[u]) {
                root[u] = static_cast<std::uint32_t>(nodes.size());
                nodes.emplace_back();
            }
            return root[u];
        }
        for (const auto& [cu, next] : nodes[node].children)
            if (cu == u) return next;
        const auto next = static_cast<std::uint32_t>(nodes.size());
        nodes.emplace_back();
        nodes[node].children.emplace_back(u, next);
        return next;
    }
};

const Trie& trie() {
    static const Trie t;
    return t;
}

void walk(const Trie& t, std::u16string_view s, std::uint32_t node, std::size_t pos, std::size_t start,
          int& best, std::size_t& best_len) {
    const Node& n = t.nodes[node];
    if (n.rank < best) {
        best = n.rank;
        best_len = pos - start;
    }
    for (const auto& [u, next] : n.children) {
        if (u == kNotFe0e) {
            if (pos >= s.size() || s[pos] != 0xFE0E) walk(t, s, next, pos, start, best, best_len);
        } else if (pos < s.size() && s[pos] == u) {
            walk(t, s, next, pos + 1, start, best, best_len);
        }
    }
}

}  // namespace

const std::uint32_t* emoji_first_units() { return trie().root.get(); }

const std::uint64_t* emoji_first_bits() {
    static const std::unique_ptr<std::uint64_t[]> bits = [] {
        auto b = std::make_unique<std::uint64_t[]>(0x10000 / 64);
        const auto* root = trie().root.get();
        for (std::uint32_t u = 0; u < 0x10000; ++u)
            if (root[u]) b[u / 64] |= std::uint64_t{1} << (u % 64);
        return b;
    }();
    return bits.get();
}

std::size_t match_emoji(std::u16string_view text, std::size_t pos) {
    const Trie& t = trie();
    const std::uint32_t first = t.root[text[pos]];
    if (!first) return 0;
    int best = INT_MAX;
    std::size_t len = 0;
    walk(t, text, first, pos + 1, pos, best, len);
    return best == INT_MAX ? 0 : len;
}

}  // namespace growth::text::tw
