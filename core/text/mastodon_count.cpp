#include "core/text/mastodon_count.hpp"

#include <utf8proc.h>

#include <string>
#include <vector>

#include "core/text/entities.hpp"
#include "core/text/grapheme.hpp"
#include "core/text/utf8.hpp"

namespace growth::text {

namespace {

constexpr long kUrlLength = 23;

bool word_char(std::string_view s, std::size_t at) {  // Ruby [[:word:]]: letters, marks, digits, _
    std::size_t i = at;
    const char32_t c = decode_utf8(s, i);
    if (c == '_') return true;
    if (c < 0x80) return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    const auto cat = utf8proc_category(static_cast<utf8proc_int32_t>(c));
    return (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_ME) || cat == UTF8PROC_CATEGORY_ND ||
           cat == UTF8PROC_CATEGORY_PC;
}

bool user_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// A remote mention at `at` ('@'): (?<![=/[:word:]])@([a-z0-9_]+(?:[a-z0-9_.-]+[a-z0-9_]+)?)
// (?:@[[:word:]]+(?:[.-]+[[:word:]]+)*)?  Returns the end of the user part and sets `end` to the
// end of the whole mention; returns 0 when there is no remote domain.
std::size_t remote_mention(std::string_view s, std::size_t at, std::size_t& end) {
    std::size_t j = at + 1;
    while (j < s.size() && (user_char(s[j]) || s[j] == '.' || s[j] == '-')) ++j;
    while (j > at + 1 && !user_char(s[j - 1])) --j;  // the name ends on [a-z0-9_]
    if (j == at + 1) return 0;
    const std::size_t user_end = j;
    if (j >= s.size() || s[j] != '@' || j + 1 >= s.size() || !word_char(s, j + 1)) return 0;
    std::size_t k = j + 1;
    std::size_t last_word_end = k;
    while (k < s.size()) {
        if (s[k] == '.' || s[k] == '-') {
            ++k;
            continue;
        }
        if (!word_char(s, k)) break;
        decode_utf8(s, k);
        last_word_end = k;
    }
    end = last_word_end;
    return user_end;
}

}  // namespace

long mastodon_length(std::string_view text) {
    // Build the countable text: each link replaced by 23 characters, each remote mention by its
    // local part; then count graphemes.
    std::vector<Entity> links;
    for (const auto& e : find_entities(text))
        if (e.kind == EntityKind::url && e.has_protocol) links.push_back(e);
    std::string countable;
    countable.reserve(text.size());
    std::size_t li = 0;
    for (std::size_t i = 0; i < text.size();) {
        if (li < links.size() && links[li].start == i) {
            countable.append(static_cast<std::size_t>(kUrlLength), 'x');
            i = links[li].end;
            ++li;
            continue;
        }
        if (text[i] == '@') {
            bool preceded = false;
            if (i > 0) {
                std::size_t b = i - 1;
                while (b > 0 && (static_cast<unsigned char>(text[b]) & 0xC0) == 0x80) --b;
                preceded = text[i - 1] == '=' || text[i - 1] == '/' || word_char(text, b);
            }
            std::size_t end = 0;
            const std::size_t user_end = preceded ? 0 : remote_mention(text, i, end);
            if (user_end) {
                countable.append(text.substr(i, user_end - i));
                i = end;
                while (li < links.size() && links[li].start < i) ++li;
                continue;
            }
        }
        const std::size_t start = i;
        decode_utf8(text, i);
        countable.append(text.substr(start, i - start));
    }
    return static_cast<long>(grapheme_count(countable));
}

}  // namespace growth::text
