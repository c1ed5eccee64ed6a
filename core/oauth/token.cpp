#include "core/oauth/token.hpp"

#include <sodium.h>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/http/encoding.hpp"
#include "core/oauth/answer_text.hpp"
#include "core/oauth/meta_login.hpp"
#include "core/publish/json_fields.hpp"
#include "core/secrets/secret_bytes.hpp"

namespace growth::oauth {

namespace {


std::string basic_credentials(const App& app) {
    // RFC 6749 §2.3.1: id and secret are form-encoded before they are joined.
    const std::string plain = http::percent_encode(app.client_id) + ":" + http::percent_encode(app.client_secret);
    std::string out(sodium_base64_encoded_len(plain.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(plain.data()), plain.size(),
                      sodium_base64_VARIANT_ORIGINAL);
    out.resize(out.find('\0'));
    return out;
}

}  // namespace

TokenSet::~TokenSet() {
    secrets::wipe(access_token.data(), access_token.size());
    secrets::wipe(refresh_token.data(), refresh_token.size());
}

std::string authorize_url(const App& app, std::string_view redirect_uri, std::string_view state,
                          std::string_view challenge) {
    http::Params q = {{"response_type", "code"},
                      {"client_id", app.client_id},
                      {"redirect_uri", std::string(redirect_uri)},
                      {"scope", app.scopes},
                      {"state", std::string(state)}};
    if (app.pkce) {
        q.emplace_back("code_challenge", std::string(challenge));
        q.emplace_back("code_challenge_method", "S256");
    }
    return http::with_query(app.authorize_url, q);
}

namespace {

// A form POST to the token endpoint, the client authenticated as app.auth says (Facebook Login:
// a GET with everything in the query).
http::HttpRequest token_request(const App& app, http::Params form) {
    http::HttpRequest r;
    if (app.auth == ClientAuth::secret_query) {
        form.emplace_back("client_id", app.client_id);
        form.emplace_back("client_secret", app.client_secret);
        r.method = "GET";
        r.url = http::with_query(app.token_url, form);
        r.headers.add("Accept", "application/json");
        for (auto& [name, value] : form) secrets::wipe(value.data(), value.size());
        return r;
    }
    r.method = "POST";
    r.url = app.token_url;
    r.headers.add("Content-Type", "application/x-www-form-urlencoded");
    r.headers.add("Accept", "application/json");
    switch (app.auth) {
    case ClientAuth::none: form.emplace_back("client_id", app.client_id); break;
    case ClientAuth::basic: r.headers.add("Authorization", "Basic " + basic_credentials(app)); break;
    case ClientAuth::secret_query:  // handled above
    case ClientAuth::secret_body:
        form.emplace_back("client_id", app.client_id);
        form.emplace_back("client_secret", app.client_secret);
        break;
    }
    r.body = http::encode_params(form);
    for (auto& [name, value] : form) secrets::wipe(value.data(), value.size());
    return r;
}

}  // namespace

http::HttpRequest code_exchange_request(const App& app, std::string_view code, std::string_view verifier,
                                        std::string_view redirect_uri) {
    http::Params form = {{"code", std::string(code)}, {"redirect_uri", std::string(redirect_uri)}};
    // Facebook Login's GET takes no grant_type (platforms.md §3.1).
    if (app.auth != ClientAuth::secret_query) form.insert(form.begin(), {"grant_type", "authorization_code"});
    if (app.pkce) form.emplace_back("code_verifier", std::string(verifier));
    return token_request(app, std::move(form));
}

http::HttpRequest refresh_request(const App& app, std::string_view refresh_token) {
    if (app.platform == Platform::threads) return threads_refresh_request(app, refresh_token);
    return token_request(app, {{"grant_type", "refresh_token"}, {"refresh_token", std::string(refresh_token)}});
}

TokenSet parse_token_outcome(const http::Outcome& outcome, Platform platform, bool refresh) {
    const std::string title(platform_title(platform));
    const std::string who = title + (title.ends_with('s') ? "'" : "'s") + " token endpoint";
    const std::string tail = refresh ? "" : "; nothing was stored, log in again";
    const auto* response = std::get_if<http::HttpResponse>(&outcome);
    if (!response) {
        const auto& none = std::get<http::NoResponse>(outcome);
        throw Error("platform_error", fmt::format("{} did not answer ({}){}", who, one_line(none.detail), tail));
    }
    const auto body = publish::parse_json(response->body);
    if (response->status < 200 || response->status > 299) {
        auto error = body ? publish::string_member(*body, "error") : std::nullopt;
        // Meta answers {"error":{"message","type","code"}} (Graph errors), not RFC 6749's.
        if (const auto* graph = body ? publish::member(*body, "error") : nullptr; graph && graph->is_object()) {
            error = publish::string_member(*graph, "message");
        }
        if (error && response->status >= 400 && response->status < 500) {
            const auto description = publish::string_member(*body, "error_description");
            throw Error("login_refused",
                        fmt::format("{} refused the {}: {}{}{}{}", who, refresh ? "refresh" : "login", one_line(*error),
                                    description ? ": " : "", description ? one_line(*description) : "", tail));
        }
        throw Error("platform_error", fmt::format("{} answered HTTP {}{}", who, response->status, tail));
    }
    if (!body || !body->is_object()) {
        throw Error("platform_error", fmt::format("{} answered with something that is not a JSON object", who));
    }
    TokenSet t;
    auto access = publish::string_member(*body, "access_token");
    if (!access || !printable_credential(*access)) {
        if (access) secrets::wipe(access->data(), access->size());
        throw Error("platform_error", fmt::format("{}'s answer has no usable access_token", who));
    }
    t.access_token = std::move(*access);
    if (auto granted = publish::string_member(*body, "refresh_token")) {
        if (!granted->empty() && !printable_credential(*granted)) {
            secrets::wipe(granted->data(), granted->size());
            throw Error("platform_error", fmt::format("{}'s answer has a malformed refresh_token", who));
        }
        t.refresh_token = std::move(*granted);
    }
    if (const auto* e = publish::member(*body, "expires_in"); e && !e->is_null()) {
        const auto seconds = publish::integer_member(*body, "expires_in");
        if (!seconds || *seconds <= 0 || *seconds > 10LL * 365 * 24 * 3600) {
            throw Error("platform_error", fmt::format("{}'s answer has an expires_in that is no duration", who));
        }
        t.expires_in = *seconds;
    }
    if (auto scope = publish::string_member(*body, "scope")) t.scope = one_line(*scope);
    // Threads (and Instagram Login) answer the user's id beside the token, as a number.
    if (const auto* id = publish::member(*body, "user_id"); id && (id->is_number_unsigned() || id->is_string())) {
        std::string text = id->is_string() ? id->get<std::string>() : std::to_string(id->get<std::uint64_t>());
        if (!text.empty() && text.size() <= 32 && text.find_first_not_of("0123456789") == std::string::npos) {
            t.user_id = std::move(text);
        }
    }
    // Threads refreshes a long-lived token with the token itself (th_refresh_token).
    if (platform == Platform::threads && t.refresh_token.empty()) t.refresh_token = t.access_token;
    return t;
}

}  // namespace growth::oauth
