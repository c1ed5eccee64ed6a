#pragma once
// Meta's steps after the code exchange (platforms.md §3.1, §4.1 B, §5.1): the short-lived token
// is exchanged for a long-lived one; Facebook and Instagram then list the Pages the person
// manages and take one Page (its Page token for Facebook, its Instagram business account for
// Instagram); Threads refreshes its long-lived token with the token itself. Pure request
// builders and parsers; the daemon sends them.

#include <string>
#include <string_view>
#include <vector>

#include "core/http/message.hpp"
#include "core/oauth/app.hpp"

namespace growth::oauth {

/// True where the code exchange gives a short-lived token that is exchanged for a long-lived one
/// (facebook, instagram, threads). Throws nothing.
bool exchanges_for_long_lived(Platform platform) noexcept;

/// True where the login chooses one of the person's Pages (facebook, instagram). Throws nothing.
bool chooses_page(Platform platform) noexcept;

/// The long-lived exchange of `short_token`: Facebook Login GET token_url?grant_type=
/// fb_exchange_token&client_id&client_secret&fb_exchange_token; Threads GET {host}/access_token?
/// grant_type=th_exchange_token&client_secret&access_token. Carries secrets. Throws bad_alloc.
http::HttpRequest long_lived_request(const App& app, std::string_view short_token);

/// Threads' refresh: GET {host}/refresh_access_token?grant_type=th_refresh_token&access_token.
/// Carries a secret. Throws std::bad_alloc only.
http::HttpRequest threads_refresh_request(const App& app, std::string_view token);

/// A Page the person manages, as /me/accounts lists it. Holds a secret: wiped on destruction.
struct Page {
    std::string id;
    std::string name;
    std::string access_token;  ///< the Page token (does not expire when the user token is long-lived)
    bool can_post = false;     ///< tasks include CREATE_CONTENT or MANAGE
    std::string ig_user_id;    ///< its Instagram business account, when one is connected
    std::string ig_username;

    Page() = default;
    Page(const Page&) = delete;
    Page& operator=(const Page&) = delete;
    Page(Page&&) = default;
    Page& operator=(Page&&) = default;
    ~Page();
};

/// Most Pages a login reads (one listing page).
inline constexpr int max_pages = 100;

/// GET /me/accounts, on the Graph API of app.token_url (graph.facebook.com/v25.0 by default), with
/// the Page fields and their Instagram business accounts. Carries a secret. Throws bad_alloc.
http::HttpRequest pages_request(const App& app, std::string_view user_token);

/// The Pages in a /me/accounts answer (at most max_pages; entries without a usable id or token
/// are skipped). Throws growth::Error ("login_refused") for a Graph error answer naming Meta's
/// words, ("platform_error") for no answer or one that is no listing. Never names a token.
std::vector<Page> parse_pages(const http::Outcome& outcome, Platform platform);

/// The Page the login takes: the one whose id or name (case-insensitive) is `wanted`, or its
/// 1-based number in the list; with `wanted` empty, the only candidate. Candidates are the Pages
/// the person can post to (Instagram: those with a business account). Throws growth::Error
/// ("login_refused") when there is no candidate, ("page_required") when several are and none
/// was named, or `wanted` names none of them (the message lists them, numbered).
const Page& choose_page(const std::vector<Page>& pages, std::string_view wanted, Platform platform);

}  // namespace growth::oauth
