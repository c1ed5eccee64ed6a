#include "core/oauth/callback.hpp"

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/http/encoding.hpp"

namespace growth::oauth {

namespace {

[[noreturn]] void bad(const std::string& why) { throw Error("bad_input", "the login callback " + why); }

bool has_control(std::string_view s) {
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x20 || c == 0x7f) return true;
    }
    return false;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r')) {
        s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) {
        s.remove_suffix(1);
    }
    return s;
}

}  // namespace

Callback parse_callback_query(std::string_view query) {
    if (query.size() > max_callback_bytes) {
        bad(fmt::format("is {} bytes long; at most {} are accepted", query.size(), max_callback_bytes));
    }
    Callback cb;
    bool seen_code = false, seen_state = false, seen_error = false, seen_description = false;
    while (!query.empty()) {
        const std::size_t amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
        if (pair.empty()) continue;
        const std::size_t eq = pair.find('=');
        const std::string name = http::percent_decode(pair.substr(0, eq), true);
        const std::string value =
            eq == std::string_view::npos ? std::string() : http::percent_decode(pair.substr(eq + 1), true);
        std::string* field = nullptr;
        bool* seen = nullptr;
        if (name == "code") field = &cb.code, seen = &seen_code;
        else if (name == "state") field = &cb.state, seen = &seen_state;
        else if (name == "error") field = &cb.error, seen = &seen_error;
        else if (name == "error_description") field = &cb.error_description, seen = &seen_description;
        else continue;  // iss, scope, session_state ...: not ours to judge
        if (*seen) bad(fmt::format("names \"{}\" twice", name));
        *seen = true;
        if (field == &cb.error_description) {
            for (char ch : value) cb.error_description += (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f) ? ' ' : ch;
            continue;
        }
        if (has_control(value)) bad(fmt::format("has a control character in \"{}\"", name));
        *field = value;
    }
    if (cb.error.empty() && cb.code.empty()) bad("has neither a code nor an error");
    return cb;
}

Callback parse_pasted(std::string_view text) {
    text = trim(text);
    if (text.empty()) throw Error("bad_input", "nothing was pasted: paste the address the browser was sent to, or the code");
    if (text.size() > max_callback_bytes) {
        bad(fmt::format("is {} bytes long; at most {} are accepted", text.size(), max_callback_bytes));
    }
    if (text.find("://") == std::string_view::npos) {
        if (text.find_first_of(" \t?&=#") != std::string_view::npos || has_control(text)) {
            throw Error("bad_input", "the pasted text is neither an address (http://127.0.0.1:.../callback?code=...) nor a code");
        }
        Callback cb;
        cb.code = std::string(text);
        return cb;
    }
    std::string_view url = text.substr(0, text.find('#'));
    const std::size_t q = url.find('?');
    if (q == std::string_view::npos) {
        throw Error("bad_input", "the pasted address has no query: paste the whole address the browser was sent to, "
                                 "including ?code=...&state=...");
    }
    return parse_callback_query(url.substr(q + 1));
}

}  // namespace growth::oauth
