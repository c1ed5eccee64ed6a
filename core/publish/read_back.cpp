#include "core/publish/read_back.hpp"

#include <fmt/format.h>

#include "core/publish/failure.hpp"

namespace growth::publish::detail {

namespace {

std::string unescape_html(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        if (s[i] == '&') {
            bool done = false;
            for (auto [entity, ch] : {std::pair<std::string_view, char>{"&amp;", '&'},
                                      {"&lt;", '<'},
                                      {"&gt;", '>'}}) {
                if (s.substr(i, entity.size()) == entity) {
                    out.push_back(ch);
                    i += entity.size();
                    done = true;
                    break;
                }
            }
            if (done) continue;
        }
        out.push_back(s[i++]);
    }
    return out;
}

bool is_space(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }

// Every "http://..." / "https://..." run (up to whitespace) replaced by one U+FFFC.
std::string mask_urls(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size();) {
        auto rest = s.substr(i);
        if (rest.substr(0, 7) == "http://" || rest.substr(0, 8) == "https://") {
            while (i < s.size() && !is_space(s[i])) ++i;
            out += "\xEF\xBF\xBC";
            continue;
        }
        out.push_back(s[i++]);
    }
    return out;
}

}  // namespace

bool same_text(std::string_view listed, std::string_view ours, bool urls_rewritten) {
    if (listed == ours) return true;
    const std::string plain = unescape_html(listed);
    if (plain == ours) return true;
    return urls_rewritten && mask_urls(plain) == mask_urls(ours);
}

ReadBack find_part(const std::vector<ListedPost>& items, std::string_view text,
                   const std::string& parent, bool parent_required, bool more_pages,
                   Instant window_start, bool urls_rewritten) {
    std::optional<Instant> oldest;
    for (const auto& item : items) {
        if (item.created_at && (!oldest || *item.created_at < *oldest)) oldest = item.created_at;
        if (item.id.empty() || !same_text(item.text, text, urls_rewritten)) continue;
        if (item.parent ? *item.parent != parent : parent_required) continue;
        return ReadBack{Verdict::found, item.id, {}};
    }
    if (!more_pages || (oldest && *oldest < window_start)) return ReadBack{Verdict::absent, {}, {}};
    return ReadBack{Verdict::unknown, {}, "the listing has more pages than growth reads"};
}

Instant window_start(const Part& part, Instant started) noexcept {
    Instant from = part.first_attempt_at && *part.first_attempt_at < started
                       ? *part.first_attempt_at
                       : started;
    return from - std::chrono::minutes{2};
}

Failure absent_failure(std::string_view why, std::string_view what, int http_status) {
    auto f = make_failure(
        FailureClass::retry_safe, "not_published",
        fmt::format("{}; growth read the account back and the {} is not there, so it is sent "
                    "again (after one more check)",
                    why, what),
        http_status);
    f.verify_on_retry = true;
    return f;
}

Failure unchecked_failure(std::string_view what, std::string_view first, std::string_view why,
                          int part_index) {
    return make_failure(
        FailureClass::ambiguous, "unchecked",
        fmt::format("{}: {} and reading the account back could not tell whether part {} was "
                    "published ({}); check the account and resolve it",
                    what, first, part_index, why));
}

}  // namespace growth::publish::detail
