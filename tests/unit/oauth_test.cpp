// core/oauth: PKCE (RFC 7636's own example), the authorize URL, the callback and pasted-URL
// parsers, the code exchange request and the token endpoint's answers.

#include <doctest/doctest.h>

#include <set>
#include <string>

#include "core/error.hpp"
#include "core/oauth/app.hpp"
#include "core/oauth/callback.hpp"
#include "core/oauth/pkce.hpp"
#include "core/oauth/token.hpp"
#include "oauth_test_support.hpp"

using namespace growth;
using namespace growth::oauth;
using growth::oauth_test::answer;
using growth::oauth_test::kind_of;

namespace {

App x_app() {
    ConfiguredApp c;
    c.client_id = "cid";
    return resolve_app(Platform::x, c);
}

}  // namespace

TEST_CASE("oauth: S256 matches RFC 7636 appendix B") {
    CHECK(s256_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") ==
          "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

TEST_CASE("oauth: verifiers and states are 256 random bits in base64url, never repeated") {
    std::set<std::string> seen;
    for (int i = 0; i < 200; ++i) {
        const Pkce p = make_pkce();
        CHECK(p.verifier.size() == 43);
        CHECK(p.verifier.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
              std::string::npos);
        CHECK(p.challenge == s256_challenge(p.verifier));
        CHECK(seen.insert(p.verifier).second);
        const std::string s = make_state();
        CHECK(s.size() == 43);
        CHECK(seen.insert(s).second);
    }
    CHECK(same_state("abc", "abc"));
    CHECK_FALSE(same_state("abc", "abd"));
    CHECK_FALSE(same_state("abc", "ab"));
    CHECK_FALSE(same_state("", ""));
}

TEST_CASE("oauth: apps take the platform's endpoints unless configured, and say how to configure one") {
    const App x = x_app();
    CHECK(x.authorize_url == "https://x.com/i/oauth2/authorize");
    CHECK(x.token_url == "https://api.x.com/2/oauth2/token");
    CHECK(x.scopes == "tweet.read tweet.write users.read offline.access");
    CHECK(x.redirect_port == 8765);
    CHECK(x.auth == ClientAuth::none);
    CHECK(x.pkce);
    ConfiguredApp c;
    c.client_id = "cid";
    c.client_secret = "sec";
    c.redirect_port = 0;
    c.token_url = "http://127.0.0.1:1/t";
    const App conf = resolve_app(Platform::x, c);
    CHECK(conf.auth == ClientAuth::basic);
    CHECK(conf.redirect_port == 0);
    CHECK(conf.token_url == "http://127.0.0.1:1/t");

    CHECK(kind_of([] { resolve_app(Platform::x, {}); }) ==
          "login_unconfigured: no X app is configured for login: register one with the X developer portal "
          "(redirect URL http://127.0.0.1:8765/callback), then set client_id under [platforms.x] in config.toml "
          "(README: Logging in)");
    ConfiguredApp li;
    li.client_id = "id";
    CHECK(kind_of([&] { resolve_app(Platform::linkedin, li); }).find("set client_id and client_secret under "
                                                                     "[platforms.linkedin]") != std::string::npos);
    li.client_secret = "s";
    const App l = resolve_app(Platform::linkedin, li);
    CHECK(l.auth == ClientAuth::secret_body);
    CHECK_FALSE(l.pkce);
    CHECK(kind_of([] { resolve_app(Platform::bluesky, {}); }).rfind("bad_input: Bluesky has no OAuth login in growth "
                                                                    "(atproto OAuth is not supported yet)", 0) == 0);
    CHECK(kind_of([] { resolve_app(Platform::threads, {}); }).find("register one with Meta's developer portal, "
                                                                   "using the Threads use case's own app id and secret") !=
          std::string::npos);
    CHECK(login_supported(Platform::threads));
    CHECK(login_supported(Platform::mastodon));
    CHECK(login_supported(Platform::x));
    CHECK_FALSE(login_supported(Platform::bluesky));
}

TEST_CASE("oauth: the authorize URL carries the challenge, the state and encoded scopes") {
    CHECK(authorize_url(x_app(), "http://127.0.0.1:8765/callback", "st", "ch") ==
          "https://x.com/i/oauth2/authorize?response_type=code&client_id=cid&redirect_uri=http%3A%2F%2F127.0.0.1%"
          "3A8765%2Fcallback&scope=tweet.read%20tweet.write%20users.read%20offline.access&state=st&code_challenge="
          "ch&code_challenge_method=S256");
}

TEST_CASE("oauth: callback queries") {
    Callback cb = parse_callback_query("state=a%2Bb&code=c+d&iss=x");
    CHECK(cb.code == "c d");
    CHECK(cb.state == "a+b");
    cb = parse_callback_query("error=access_denied&error_description=No%0Away&state=s");
    CHECK(cb.error == "access_denied");
    CHECK(cb.error_description == "No way");
    CHECK(kind_of([] { parse_callback_query("code=a&code=b"); }) == "bad_input: the login callback names \"code\" twice");
    CHECK(kind_of([] { parse_callback_query("state=s"); }) == "bad_input: the login callback has neither a code nor an error");
    CHECK(kind_of([] { parse_callback_query(""); }) == "bad_input: the login callback has neither a code nor an error");
    CHECK(kind_of([] { parse_callback_query("code=a%00b"); }) ==
          "bad_input: the login callback has a control character in \"code\"");
    CHECK(kind_of([] { parse_callback_query("code=" + std::string(9000, 'a')); }) ==
          "bad_input: the login callback is 9005 bytes long; at most 8192 are accepted");
}

TEST_CASE("oauth: pasted addresses and codes") {
    Callback cb = parse_pasted("  http://127.0.0.1:8765/callback?code=abc&state=xyz#frag \n");
    CHECK(cb.code == "abc");
    CHECK(cb.state == "xyz");
    cb = parse_pasted("abc-DEF_123\n");
    CHECK(cb.code == "abc-DEF_123");
    CHECK(cb.state.empty());
    CHECK(kind_of([] { parse_pasted(" \n"); }).rfind("bad_input: nothing was pasted", 0) == 0);
    CHECK(kind_of([] { parse_pasted("http://127.0.0.1:8765/callback"); }).find("has no query") != std::string::npos);
    CHECK(kind_of([] { parse_pasted("a b"); }).find("neither an address") != std::string::npos);
    CHECK(kind_of([] { parse_pasted("code=abc"); }).find("neither an address") != std::string::npos);
}

TEST_CASE("oauth: the code exchange as each client authenticates") {
    http::HttpRequest r = code_exchange_request(x_app(), "the code", "ver", "http://127.0.0.1:1/callback");
    CHECK(r.method == "POST");
    CHECK(r.url == "https://api.x.com/2/oauth2/token");
    CHECK(r.headers.get("Content-Type") == "application/x-www-form-urlencoded");
    CHECK_FALSE(r.headers.has("Authorization"));
    CHECK(r.body == "grant_type=authorization_code&code=the%20code&redirect_uri=http%3A%2F%2F127.0.0.1%3A1%2Fcallback"
                    "&code_verifier=ver&client_id=cid");
    ConfiguredApp c;
    c.client_id = "id:1";
    c.client_secret = "s/+";
    r = code_exchange_request(resolve_app(Platform::x, c), "k", "v", "u");
    // RFC 6749 §2.3.1: form-encoded, then base64("id%3A1:s%2F%2B")
    CHECK(r.headers.get("Authorization") == "Basic aWQlM0ExOnMlMkYlMkI=");
    CHECK(r.body.find("client_id") == std::string::npos);
    c.client_id = "li";
    c.client_secret = "sec";
    r = code_exchange_request(resolve_app(Platform::linkedin, c), "k", "v", "u");
    CHECK(r.body == "grant_type=authorization_code&code=k&redirect_uri=u&client_id=li&client_secret=sec");
}

TEST_CASE("oauth: token answers") {
    TokenSet t = parse_token_outcome(answer(200, R"({"token_type":"bearer","expires_in":7200,"access_token":"AT",
        "scope":"tweet.read","refresh_token":"RT"})"),
                                     Platform::x);
    CHECK(t.access_token == "AT");
    CHECK(t.refresh_token == "RT");
    CHECK(t.expires_in == 7200);
    CHECK(t.scope == "tweet.read");
    t = parse_token_outcome(answer(200, R"({"access_token":"AT","token_type":"Bearer"})"), Platform::linkedin);
    CHECK_FALSE(t.expires_in.has_value());
    CHECK(t.refresh_token.empty());

    const auto refused = [](int status, const char* body) {
        return kind_of([&] { parse_token_outcome(answer(status, body), Platform::x); });
    };
    CHECK(refused(400, R"({"error":"invalid_grant","error_description":"Value passed for the authorization code was invalid."})") ==
          "login_refused: X's token endpoint refused the login: invalid_grant: Value passed for the authorization "
          "code was invalid.; nothing was stored, log in again");
    CHECK(refused(500, "oops") == "platform_error: X's token endpoint answered HTTP 500; nothing was stored, log in again");
    CHECK(refused(200, "[]") == "platform_error: X's token endpoint answered with something that is not a JSON object");
    CHECK(refused(200, R"({"token_type":"bearer"})") == "platform_error: X's token endpoint's answer has no usable access_token");
    CHECK(refused(200, R"({"access_token":"has space"})") == "platform_error: X's token endpoint's answer has no usable access_token");
    CHECK(refused(200, R"({"access_token":"a","refresh_token":"b\n"})") ==
          "platform_error: X's token endpoint's answer has a malformed refresh_token");
    CHECK(refused(200, R"({"access_token":"a","expires_in":-5})") ==
          "platform_error: X's token endpoint's answer has an expires_in that is no duration");
    CHECK(refused(200, R"({"access_token":"a","expires_in":"soon"})") ==
          "platform_error: X's token endpoint's answer has an expires_in that is no duration");
    CHECK(kind_of([] {
              parse_token_outcome(http::NoResponse{http::NoResponseKind::lost, "timeout"}, Platform::x);
          }) == "platform_error: X's token endpoint did not answer (timeout); nothing was stored, log in again");
    // a secret never shows in a message
    CHECK(refused(200, R"({"access_token":"tok en-SECRET"})").find("SECRET") == std::string::npos);
}
