// core/oauth/meta_login: Facebook Login's GET exchanges, the long-lived exchanges, Threads'
// self-refresh, the Pages listing and choosing a Page (platforms.md §3.1, §4.1 B, §5.1).

#include <doctest/doctest.h>

#include <string>

#include "core/error.hpp"
#include "core/oauth/app.hpp"
#include "core/oauth/meta_login.hpp"
#include "core/oauth/token.hpp"
#include "oauth_test_support.hpp"

using namespace growth;
using namespace growth::oauth;
using growth::oauth_test::answer;
using growth::oauth_test::kind_of;

namespace {

App meta_app(Platform platform, std::string token_url = {}) {
    ConfiguredApp c;
    c.client_id = "123";
    c.client_secret = "s&t";
    c.token_url = std::move(token_url);
    return resolve_app(platform, c);
}

std::vector<Page> pages_of(const char* body, Platform platform = Platform::facebook) {
    return parse_pages(answer(200, body), platform);
}

constexpr const char* two_pages = R"({"data":[
  {"id":"111","name":"Bakery","access_token":"PT1","tasks":["ANALYZE","CREATE_CONTENT"]},
  {"id":"222","name":"Band","access_token":"PT2","tasks":["MANAGE"],
   "instagram_business_account":{"id":"1784","username":"the.band"}},
  {"id":"333","name":"Read only","access_token":"PT3","tasks":["ANALYZE"]},
  {"id":"x4","name":"bad id","access_token":"PT4"},
  {"id":"555","name":"no token"}]})";

}  // namespace

TEST_CASE("oauth meta: Facebook Login exchanges are GETs with the secret in the query, without grant_type") {
    const App fb = meta_app(Platform::facebook);
    CHECK(fb.auth == ClientAuth::secret_query);
    CHECK_FALSE(fb.pkce);
    CHECK(authorize_url(fb, "http://127.0.0.1:8765/callback", "st", "") ==
          "https://www.facebook.com/v25.0/dialog/oauth?response_type=code&client_id=123&redirect_uri=http%3A%2F%2F127."
          "0.0.1%3A8765%2Fcallback&scope=pages_show_list%2Cpages_manage_posts%2Cpages_read_engagement%2Cpages_manage_"
          "engagement&state=st");
    http::HttpRequest r = code_exchange_request(fb, "c/1", "unused", "http://127.0.0.1:8765/callback");
    CHECK(r.method == "GET");
    CHECK(r.body.empty());
    CHECK(r.url == "https://graph.facebook.com/v25.0/oauth/access_token?code=c%2F1&redirect_uri=http%3A%2F%2F127.0.0."
                   "1%3A8765%2Fcallback&client_id=123&client_secret=s%26t");
    r = long_lived_request(fb, "SHORT");
    CHECK(r.url == "https://graph.facebook.com/v25.0/oauth/access_token?grant_type=fb_exchange_token&client_id=123&"
                   "client_secret=s%26t&fb_exchange_token=SHORT");
    CHECK(meta_app(Platform::instagram).scopes.find("instagram_content_publish") != std::string::npos);
    CHECK(exchanges_for_long_lived(Platform::instagram));
    CHECK(chooses_page(Platform::instagram));
    CHECK_FALSE(chooses_page(Platform::threads));
    CHECK_FALSE(exchanges_for_long_lived(Platform::x));
}

TEST_CASE("oauth meta: Threads posts its code, exchanges and refreshes the long-lived token with itself") {
    const App th = meta_app(Platform::threads);
    http::HttpRequest r = code_exchange_request(th, "k", "v", "u");
    CHECK(r.method == "POST");
    CHECK(r.url == "https://graph.threads.net/oauth/access_token");
    CHECK(r.body == "grant_type=authorization_code&code=k&redirect_uri=u&client_id=123&client_secret=s%26t");
    CHECK(long_lived_request(th, "S").url ==
          "https://graph.threads.net/access_token?grant_type=th_exchange_token&client_secret=s%26t&access_token=S");
    CHECK(refresh_request(th, "L").url ==
          "https://graph.threads.net/refresh_access_token?grant_type=th_refresh_token&access_token=L");
    // a test server or proxy keeps its path prefix; another URL keeps its host
    CHECK(refresh_request(meta_app(Platform::threads, "http://127.0.0.1:9/threads/oauth/access_token"), "L").url ==
          "http://127.0.0.1:9/threads/refresh_access_token?grant_type=th_refresh_token&access_token=L");
    CHECK(long_lived_request(meta_app(Platform::threads, "https://proxy.example/token"), "S").url.rfind(
              "https://proxy.example/access_token?", 0) == 0);

    TokenSet t = parse_token_outcome(answer(200, R"({"access_token":"SHORT","user_id":25000000000000001})"),
                                     Platform::threads);
    CHECK(t.user_id == "25000000000000001");
    CHECK(t.refresh_token == "SHORT");
    t = parse_token_outcome(answer(200, R"({"access_token":"LONG","token_type":"bearer","expires_in":5183944})"),
                            Platform::threads, true);
    CHECK(t.refresh_token == "LONG");
    CHECK(t.expires_in == 5183944);
    t = parse_token_outcome(answer(200, R"({"access_token":"A","user_id":"12; rm"})"), Platform::facebook);
    CHECK(t.user_id.empty());
    CHECK(t.refresh_token.empty());
}

TEST_CASE("oauth meta: Graph errors from the token endpoint are refusals in Meta's words") {
    CHECK(kind_of([] {
              parse_token_outcome(answer(400, R"({"error":{"message":"This authorization code has been used.",
                  "type":"OAuthException","code":100,"error_subcode":36009,"fbtrace_id":"x"}})"),
                                  Platform::facebook);
          }) == "login_refused: Facebook's token endpoint refused the login: This authorization code has been used.; "
                "nothing was stored, log in again");
    CHECK(kind_of([] {
              parse_token_outcome(answer(400, R"({"error":{"message":"Session key invalid.","code":190}})"),
                                  Platform::threads, true);
          }) == "login_refused: Threads' token endpoint refused the refresh: Session key invalid.");
}

TEST_CASE("oauth meta: the Pages listing") {
    http::HttpRequest r = pages_request(meta_app(Platform::instagram, "http://127.0.0.1:9/facebook/v25.0/oauth/access_token"), "UT");
    CHECK(r.method == "GET");
    CHECK(r.url == "http://127.0.0.1:9/facebook/v25.0/me/accounts?fields=id%2Cname%2Caccess_token%2Ctasks%2Cinstagram_"
                   "business_account%7Bid%2Cusername%7D&limit=100&access_token=UT");
    const auto pages = pages_of(two_pages);
    REQUIRE(pages.size() == 3);  // a non-numeric id and a missing token are skipped
    CHECK(pages[0].id == "111");
    CHECK(pages[0].can_post);
    CHECK(pages[1].ig_user_id == "1784");
    CHECK(pages[1].ig_username == "the.band");
    CHECK_FALSE(pages[2].can_post);
    CHECK(pages_of(R"({"data":[]})").empty());
    CHECK(kind_of([] { pages_of(R"({"data":{}})"); }) ==
          "platform_error: Facebook (the Pages you manage) answered without a list of Pages");
    CHECK(kind_of([] {
              parse_pages(answer(403, R"({"error":{"message":"(#200) Requires pages_show_list permission"}})"),
                          Platform::facebook);
          }) == "login_refused: Facebook (the Pages you manage) refused the listing: (#200) Requires pages_show_list "
                "permission; nothing was stored, log in again");
    CHECK(pages_request(meta_app(Platform::facebook), "UT").url.rfind("https://graph.facebook.com/v25.0/me/accounts?", 0) == 0);
    CHECK(kind_of([] { parse_pages(http::NoResponse{http::NoResponseKind::lost, "reset"}, Platform::instagram); })
              .rfind("platform_error: Instagram (the Pages you manage) did not answer (reset)", 0) == 0);
    std::string many = R"({"data":[)";
    for (int i = 0; i < 150; ++i) many += std::string(i ? "," : "") + R"({"id":")" + std::to_string(i + 1) + R"(","access_token":"T"})";
    CHECK(pages_of((many + "]}").c_str()).size() == static_cast<std::size_t>(max_pages));
    // page tokens never reach a message
    CHECK(kind_of([] { choose_page(pages_of(two_pages), "", Platform::facebook); }).find("PT") == std::string::npos);
}

TEST_CASE("oauth meta: choosing a Page") {
    const auto pages = pages_of(two_pages);
    CHECK(kind_of([&] { choose_page(pages, "", Platform::facebook); }) ==
          "page_required: you manage 2 Pages; choose one with --page ID or NAME:\n  1) Bakery (id 111)\n  2) Band (id "
          "222)");
    CHECK(choose_page(pages, "222", Platform::facebook).name == "Band");
    CHECK(choose_page(pages, "bakery", Platform::facebook).id == "111");
    CHECK(choose_page(pages, "2", Platform::facebook).id == "222");
    CHECK(kind_of([&] { choose_page(pages, "333", Platform::facebook); }).rfind(
              "page_required: no Page you manage is '333'; choose one of:\n  1) Bakery", 0) == 0);
    // Instagram: only the Page with a business account, taken without asking
    CHECK(choose_page(pages, "", Platform::instagram).ig_user_id == "1784");
    CHECK(choose_page(pages, "the.band", Platform::instagram).id == "222");
    CHECK(choose_page(pages, "1784", Platform::instagram).id == "222");
    CHECK(kind_of([] { choose_page({}, "", Platform::facebook); }).rfind("login_refused: you manage no Facebook Page", 0) ==
          0);
    CHECK(kind_of([] { choose_page(pages_of(R"({"data":[{"id":"1","access_token":"T"}]})"), "", Platform::instagram); })
              .rfind("login_refused: none of the Facebook Pages you manage has an Instagram business", 0) == 0);
}
