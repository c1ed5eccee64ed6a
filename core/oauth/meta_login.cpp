#include "core/oauth/meta_login.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/http/encoding.hpp"
#include "core/oauth/answer_text.hpp"
#include "core/publish/json_fields.hpp"
#include "core/secrets/secret_bytes.hpp"

namespace growth::oauth {

namespace {

// The Graph API the login's token endpoint belongs to: token_url without its
// "/oauth/access_token" (a version, test or proxy prefix stays), else the URL's scheme and host.
// Threads' exchanges live there; Facebook Login's /me/accounts too.
std::string graph_root(const std::string& token_url) {
    constexpr std::string_view suffix = "/oauth/access_token";
    if (token_url.size() > suffix.size() && token_url.ends_with(suffix)) {
        return token_url.substr(0, token_url.size() - suffix.size());
    }
    const auto scheme = token_url.find("://");
    const auto path = scheme == std::string::npos ? std::string::npos : token_url.find('/', scheme + 3);
    return path == std::string::npos ? token_url : token_url.substr(0, path);
}

http::HttpRequest get_with_secrets(std::string url, http::Params query) {
    http::HttpRequest r;
    r.method = "GET";
    r.url = http::with_query(std::move(url), query);
    r.headers.add("Accept", "application/json");
    for (auto& [name, value] : query) secrets::wipe(value.data(), value.size());
    return r;
}

bool digits(std::string_view s) {
    return !s.empty() && s.size() <= 32 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

}  // namespace

Page::~Page() { secrets::wipe(access_token.data(), access_token.size()); }

bool exchanges_for_long_lived(Platform platform) noexcept {
    return platform == Platform::facebook || platform == Platform::instagram || platform == Platform::threads;
}

bool chooses_page(Platform platform) noexcept {
    return platform == Platform::facebook || platform == Platform::instagram;
}

http::HttpRequest long_lived_request(const App& app, std::string_view short_token) {
    if (app.platform == Platform::threads) {
        return get_with_secrets(graph_root(app.token_url) + "/access_token",
                                {{"grant_type", "th_exchange_token"},
                                 {"client_secret", app.client_secret},
                                 {"access_token", std::string(short_token)}});
    }
    return get_with_secrets(app.token_url, {{"grant_type", "fb_exchange_token"},
                                            {"client_id", app.client_id},
                                            {"client_secret", app.client_secret},
                                            {"fb_exchange_token", std::string(short_token)}});
}

http::HttpRequest threads_refresh_request(const App& app, std::string_view token) {
    return get_with_secrets(graph_root(app.token_url) + "/refresh_access_token",
                            {{"grant_type", "th_refresh_token"}, {"access_token", std::string(token)}});
}

http::HttpRequest pages_request(const App& app, std::string_view user_token) {
    return get_with_secrets(graph_root(app.token_url) + "/me/accounts",
                            {{"fields", "id,name,access_token,tasks,instagram_business_account{id,username}"},
                             {"limit", std::to_string(max_pages)},
                             {"access_token", std::string(user_token)}});
}

std::vector<Page> parse_pages(const http::Outcome& outcome, Platform platform) {
    const std::string who = fmt::format("{} (the Pages you manage)", platform_title(platform));
    const auto* response = std::get_if<http::HttpResponse>(&outcome);
    if (!response) {
        throw Error("platform_error", fmt::format("{} did not answer ({}); nothing was stored, log in again", who,
                                                  one_line(std::get<http::NoResponse>(outcome).detail)));
    }
    const auto body = publish::parse_json(response->body);
    if (response->status < 200 || response->status > 299) {
        const auto* error = body ? publish::member(*body, "error") : nullptr;
        const auto message = error ? publish::string_member(*error, "message") : std::nullopt;
        if (message && response->status >= 400 && response->status < 500) {
            throw Error("login_refused", fmt::format("{} refused the listing: {}; nothing was stored, log in again",
                                                     who, one_line(*message)));
        }
        throw Error("platform_error", fmt::format("{} answered HTTP {}; nothing was stored, log in again", who,
                                                  response->status));
    }
    const auto* data = body ? publish::member(*body, "data") : nullptr;
    if (!data || !data->is_array()) {
        throw Error("platform_error", fmt::format("{} answered without a list of Pages", who));
    }
    std::vector<Page> pages;
    for (const auto& entry : *data) {
        if (static_cast<int>(pages.size()) >= max_pages) break;
        auto id = publish::string_member(entry, "id");
        auto token = publish::string_member(entry, "access_token");
        if (!id || !digits(*id) || !token || !printable_credential(*token)) {
            if (token) secrets::wipe(token->data(), token->size());
            continue;
        }
        Page p;
        p.id = std::move(*id);
        p.access_token = std::move(*token);
        p.name = one_line(publish::string_member(entry, "name").value_or(""));
        if (const auto* tasks = publish::member(entry, "tasks"); tasks && tasks->is_array()) {
            for (const auto& t : *tasks) {
                p.can_post = p.can_post || (t.is_string() && (t == "CREATE_CONTENT" || t == "MANAGE"));
            }
        } else {
            p.can_post = true;  // no tasks listed: Meta decides at post time
        }
        if (const auto* ig = publish::member(entry, "instagram_business_account"); ig && ig->is_object()) {
            if (auto ig_id = publish::string_member(*ig, "id"); ig_id && digits(*ig_id)) {
                p.ig_user_id = std::move(*ig_id);
                p.ig_username = one_line(publish::string_member(*ig, "username").value_or(""));
            }
        }
        pages.push_back(std::move(p));
    }
    return pages;
}

const Page& choose_page(const std::vector<Page>& pages, std::string_view wanted, Platform platform) {
    const bool instagram = platform == Platform::instagram;
    std::vector<const Page*> candidates;
    for (const Page& p : pages) {
        if (p.can_post && (!instagram || !p.ig_user_id.empty())) candidates.push_back(&p);
    }
    if (candidates.empty()) {
        throw Error("login_refused",
                    instagram ? std::string("none of the Facebook Pages you manage has an Instagram business or "
                                            "creator account connected (connect it in the Page's settings); "
                                            "nothing was stored")
                              : std::string("you manage no Facebook Page you can post to (CREATE_CONTENT), or you "
                                            "did not grant growth access to one; nothing was stored"));
    }
    const auto describe = [instagram](const Page& p) {
        return instagram ? fmt::format("{} (@{}, Instagram id {}, Page {})", p.name, p.ig_username, p.ig_user_id, p.id)
                         : fmt::format("{} (id {})", p.name, p.id);
    };
    const auto listing = [&] {
        std::string out;
        for (std::size_t i = 0; i < candidates.size(); ++i) {
            out += fmt::format("\n  {}) {}", i + 1, describe(*candidates[i]));
        }
        return out;
    };
    if (wanted.empty()) {
        if (candidates.size() == 1) return *candidates.front();
        throw Error("page_required", fmt::format("you manage {} Pages{}; choose one with --page ID or NAME:{}",
                                                 candidates.size(), instagram ? " with an Instagram account" : "",
                                                 listing()));
    }
    const std::string w = lower(wanted);
    for (const Page* p : candidates) {
        if (p->id == wanted || p->ig_user_id == wanted || lower(p->name) == w || (instagram && lower(p->ig_username) == w)) {
            return *p;
        }
    }
    if (digits(wanted) && wanted.size() <= 3) {
        const auto n = std::stoul(std::string(wanted));
        if (n >= 1 && n <= candidates.size()) return *candidates[n - 1];
    }
    throw Error("page_required", fmt::format("no Page you manage is '{}'; choose one of:{}", one_line(wanted), listing()));
}

}  // namespace growth::oauth
