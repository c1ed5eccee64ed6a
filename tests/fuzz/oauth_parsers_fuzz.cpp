// libFuzzer target: what a login reads from outside (core/oauth): the callback query the
// loopback listener receives, the text a person pastes, and the token endpoint's answer. The
// first byte picks the parser (and for answers the HTTP status). Each may only return or throw
// growth::Error; what they return holds no control characters, and a refused token answer's
// message never quotes the token. A first byte of 0xff picks instead the vault's stored
// passphrase parameters (core/secrets/passphrase.hpp), which must come back within bounds; 0xfe
// Meta's Pages listing (core/oauth/meta_login.hpp) and the choice of a Page from it. Token answers
// are read as X's or, with the top bit set, as Threads' (its user_id and self-refreshing token).
// fuzz-max-len: 16384
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/oauth/callback.hpp"
#include "core/oauth/meta_login.hpp"
#include "core/oauth/token.hpp"
#include "core/secrets/passphrase.hpp"

namespace {

[[noreturn]] void fail(const std::string& what) {
    std::fprintf(stderr, "invariant violated: %s\n", what.c_str());
    std::abort();
}

void no_control(const std::string& s, const char* what) {
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x20 || c == 0x7f) fail(std::string(what) + " holds a control character");
    }
}

void check(const growth::oauth::Callback& cb) {
    no_control(cb.code, "code");
    no_control(cb.state, "state");
    no_control(cb.error, "error");
    no_control(cb.error_description, "error_description");
    if (cb.code.empty() && cb.error.empty()) fail("a callback with neither code nor error was accepted");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace growth;
    if (size < 1) return 0;
    const std::uint8_t control = data[0];
    const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
    try {
        if (control == 0xff) {
            const secrets::KdfParams p = secrets::parse_kdf_params(text);
            if (p.cost.ops < secrets::kdf_min_ops || p.cost.ops > secrets::kdf_max_ops ||
                p.cost.memory < secrets::kdf_min_memory || p.cost.memory > secrets::kdf_max_memory) {
                fail("KDF parameters out of bounds were accepted");
            }
            if (p.salt.size() != 16) fail("a salt of another size was accepted");
            if (secrets::parse_kdf_params(secrets::encode_kdf_params(p)).salt != p.salt) fail("the salt does not round-trip");
            return 0;
        }
        if (control == 0xfe) {
            http::HttpResponse r;
            r.status = 200;
            r.body = std::string(text);
            const auto pages = oauth::parse_pages(r, Platform::instagram);
            if (pages.size() > static_cast<std::size_t>(oauth::max_pages)) fail("more Pages than max_pages");
            for (const auto& p : pages) {
                if (p.id.empty() || p.id.find_first_not_of("0123456789") != std::string::npos) fail("a Page id not numeric");
                if (p.access_token.empty()) fail("a Page without a token");
                no_control(p.name, "Page name");
                no_control(p.access_token, "Page token");
                no_control(p.ig_username, "Instagram username");
            }
            try {
                const auto& chosen = oauth::choose_page(pages, "", Platform::instagram);
                if (chosen.ig_user_id.empty()) fail("an Instagram login chose a Page without a business account");
            } catch (const Error& e) {
                // a list of Pages to choose from is the one message on several lines
                if (e.kind() != "page_required" && std::string_view(e.what()).find('\n') != std::string_view::npos) {
                    fail("a multi-line message");
                }
            }
            return 0;
        }
        switch (control % 3) {
        case 0: check(oauth::parse_callback_query(text)); break;
        case 1: {
            const oauth::Callback cb = oauth::parse_pasted(text);
            check(cb);
            break;
        }
        default: {
            http::HttpResponse r;
            r.status = (control / 3) % 2 ? 200 : 400 + (control / 6) % 100;
            r.body = std::string(text);
            const oauth::TokenSet t = oauth::parse_token_outcome(r, control & 0x80 ? Platform::threads : Platform::x);
            if (!t.user_id.empty() && t.user_id.find_first_not_of("0123456789") != std::string::npos) {
                fail("a user_id that is not digits was accepted");
            }
            if (t.access_token.empty()) fail("an empty access token was accepted");
            no_control(t.access_token, "access_token");
            no_control(t.refresh_token, "refresh_token");
            no_control(t.scope, "scope");
            if (t.expires_in && *t.expires_in <= 0) fail("a non-positive expires_in was accepted");
        }
        }
    } catch (const Error& e) {
        if (std::string_view(e.what()).find('\n') != std::string_view::npos) fail("a multi-line message");
    }
    return 0;
}
