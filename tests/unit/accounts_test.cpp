// Accounts: resolving names and platforms, validating account.add, all-or-nothing adds,
// removal keeping history, and the publisher's view of each platform's account.

#include <doctest/doctest.h>

#include <functional>
#include <string>

#include <SQLiteCpp/Statement.h>

#include "core/accounts/accounts.hpp"
#include "core/accounts/manage.hpp"
#include "core/error.hpp"
#include "accounts_test_support.hpp"

using growth::Error;
using growth::Store;
using growth::publish::Platform;
using growth::Json;
using growth::test::MemorySecrets;
using growth::test::SecretsTempDir;
namespace accounts = growth::accounts;

namespace {

using Fixture = growth::test::AccountsFixture;

std::string error_of(const std::function<void()>& f, std::string* kind = nullptr) {
    try {
        f();
    } catch (const Error& e) {
        if (kind) *kind = e.kind();
        return e.what();
    }
    return "(no error)";
}

Json x_params(const std::string& name) {
    return Json{{"platform", "x"}, {"name", name}, {"token", "tok-" + name}};
}

long long count_accounts(Store& store) {
    return store.db().execAndGet("SELECT count(*) FROM accounts").getInt64();
}

}  // namespace

TEST_CASE("accounts: resolve finds an account by name") {
    Fixture f;
    f.add(x_params("work-x"));
    f.add(x_params("home-x"));
    CHECK(accounts::resolve(f.store, "home-x").name == "home-x");
}

TEST_CASE("accounts: resolve takes a platform name to mean that platform's only account") {
    Fixture f;
    f.add(x_params("work-x"));
    f.add(Json{{"platform", "mastodon"}, {"name", "toot"}, {"token", "t"}, {"instance", "https://m.example"}});
    const auto a = accounts::resolve(f.store, "mastodon");
    CHECK(a.name == "toot");
    CHECK(a.platform == Platform::mastodon);
    CHECK(a.api_base == "https://m.example");
}

TEST_CASE("accounts: a platform with two accounts is ambiguous, naming both") {
    Fixture f;
    f.add(x_params("work-x"));
    f.add(x_params("home-x"));
    std::string kind;
    CHECK(error_of([&] { accounts::resolve(f.store, "x"); }, &kind) ==
          "2 x accounts (home-x, work-x): name one of them");
    CHECK(kind == "account_ambiguous");
}

TEST_CASE("accounts: an unknown name gets a did-you-mean") {
    Fixture f;
    f.add(x_params("work-x"));
    std::string kind;
    CHECK(error_of([&] { accounts::resolve(f.store, "wrok-x"); }, &kind) ==
          "no account or platform named 'wrok-x'; did you mean 'work-x'?");
    CHECK(kind == "account_not_found");
    CHECK(error_of([&] { accounts::get(f.store, "work-y"); }) ==
          "no account named 'work-y'; did you mean 'work-x'?");
    CHECK(error_of([&] { accounts::get(f.store, "zzzzzzzz"); }) == "no account named 'zzzzzzzz'");
}

TEST_CASE("accounts: a platform without accounts says how to add one") {
    Fixture f;
    std::string kind;
    CHECK(error_of([&] { accounts::resolve(f.store, "bluesky"); }, &kind) ==
          "no bluesky account; add one with: growthctl account add bluesky --name NAME");
    CHECK(kind == "account_not_found");
}

TEST_CASE("accounts: list is sorted by name and holds no secrets") {
    Fixture f;
    f.add(x_params("b"));
    f.add(x_params("a"));
    const auto all = accounts::list(f.store);
    REQUIRE(all.size() == 2);
    CHECK(all[0].name == "a");
    CHECK(accounts::to_json(all[0]).dump() ==
          R"({"name":"a","platform":"x","api_base":null,"settings":{}})");
}

TEST_CASE("accounts: the secret goes to the secret store, not the database") {
    Fixture f;
    f.add(x_params("work-x"));
    CHECK(f.secrets.get("work-x", "access_token") == std::optional<std::string>("tok-work-x"));
    SQLite::Statement q(f.store.db(), "SELECT name, platform, coalesce(api_base, ''), settings FROM accounts");
    REQUIRE(q.executeStep());
    CHECK(q.getColumn(3).getString() == "{}");
    CHECK(accounts::secret_fields(accounts::get(f.store, "work-x"), f.secrets) ==
          std::vector<std::string>{"access_token"});
}

TEST_CASE("accounts: a duplicate name is refused and changes nothing") {
    Fixture f;
    f.add(x_params("work-x"));
    std::string kind;
    Json again = x_params("work-x");
    again["token"] = "other-token";
    CHECK(error_of([&] { f.add(again); }, &kind) ==
          "an account named 'work-x' exists already (x); remove it first or choose another name");
    CHECK(kind == "account_exists");
    CHECK(count_accounts(f.store) == 1);
    CHECK(f.secrets.get("work-x", "access_token") == std::optional<std::string>("tok-work-x"));
}

TEST_CASE("accounts: when the secret cannot be stored, no row is added") {
    Fixture f;
    f.secrets.fail_puts = true;
    std::string kind;
    error_of([&] { f.add(x_params("work-x")); }, &kind);
    CHECK(kind == "vault_error");
    CHECK(count_accounts(f.store) == 0);
}

TEST_CASE("accounts: remove drops the row and the secrets; targets keep their history") {
    Fixture f;
    const auto a = f.add(x_params("work-x"));
    f.store.db().exec("INSERT INTO posts (id, text, created_at, updated_at) VALUES ('p1', 'hi', 1, 1)");
    SQLite::Statement t(f.store.db(), "INSERT INTO targets (post_id, account_id, account, platform, "
                                      "created_at, updated_at) VALUES ('p1', ?, 'work-x', 'x', 1, 1)");
    t.bind(1, static_cast<std::int64_t>(a.id));
    t.exec();
    CHECK(accounts::remove(f.store, f.secrets, "work-x").name == "work-x");
    CHECK(count_accounts(f.store) == 0);
    CHECK(f.secrets.values.empty());
    SQLite::Statement q(f.store.db(), "SELECT account_id IS NULL, account FROM targets");
    REQUIRE(q.executeStep());
    CHECK(q.getColumn(0).getInt() == 1);
    CHECK(q.getColumn(1).getString() == "work-x");
}

TEST_CASE("accounts: removing an unknown account changes nothing") {
    Fixture f;
    f.add(x_params("work-x"));
    std::string kind;
    CHECK(error_of([&] { accounts::remove(f.store, f.secrets, "nope"); }, &kind) == "no account named 'nope'");
    CHECK(kind == "account_not_found");
    CHECK(count_accounts(f.store) == 1);
}

TEST_CASE("account.add validation: each problem is named, nothing is written") {
    struct Case {
        Json params;
        std::string message;
    };
    const Case cases[] = {
        {{{"platform", "mastadon"}, {"name", "m"}, {"token", "t"}},
         "unknown platform 'mastadon'; did you mean 'mastodon'? (platforms: x, linkedin, facebook, "
         "instagram, threads, mastodon, bluesky)"},
        {{{"platform", "x"}, {"name", "Work"}, {"token", "t"}},
         "bad account name 'Work': it must start with a lower-case letter or a digit"},
        {{{"platform", "x"}, {"name", "a b"}, {"token", "t"}},
         "bad account name 'a b': use only lower-case letters, digits, '.', '_' and '-'"},
        {{{"platform", "x"}, {"name", std::string(65, 'a')}, {"token", "t"}},
         "bad account name '" + std::string(65, 'a') + "': longer than 64 characters"},
        {{{"platform", "x"}, {"name", "mastodon"}, {"token", "t"}},
         "account name 'mastodon' is a platform name; a x account cannot have it (--to mastodon "
         "means the mastodon account)"},
        {{{"platform", "x"}, {"name", "w"}},
         "a x account needs a token: --token-file FILE or --token-stdin"},
        {{{"platform", "x"}, {"name", "w"}, {"token", ""}},
         "the token is empty (from --token-file/--token-stdin)"},
        {{{"platform", "x"}, {"name", "w"}, {"token", "two words"}},
         "the token contains spaces or control characters (is --token-file/--token-stdin the "
         "right file?)"},
        {{{"platform", "x"}, {"name", "w"}, {"token", "t"}, {"page_id", "1"}},
         "--page-id applies only to facebook accounts, not x"},
        {{{"platform", "x"}, {"name", "w"}, {"token", "t"}, {"api_base", "ftp://h"}},
         "--api-base 'ftp://h' must be an http:// or https:// URL"},
        {{{"platform", "linkedin"}, {"name", "li"}, {"token", "t"}},
         "a linkedin account needs --author urn:li:person:ID or urn:li:organization:ID"},
        {{{"platform", "linkedin"}, {"name", "li"}, {"token", "t"}, {"author", "urn:li:company:1"}},
         "--author 'urn:li:company:1' must be urn:li:person:ID or urn:li:organization:ID"},
        {{{"platform", "facebook"}, {"name", "fb"}, {"token", "t"}, {"page_id", "my-page"}},
         "--page-id 'my-page' must be the Page's numeric id"},
        {{{"platform", "instagram"}, {"name", "ig"}, {"token", "t"}},
         "an instagram account needs --ig-user-id ID (the business account's numeric id)"},
        {{{"platform", "mastodon"}, {"name", "m"}, {"token", "t"}},
         "a mastodon account needs --instance URL (e.g. https://mastodon.social)"},
        {{{"platform", "mastodon"}, {"name", "m"}, {"token", "t"}, {"instance", "https://a"}, {"api_base", "https://b"}},
         "give --instance or --api-base, not both"},
        {{{"platform", "mastodon"}, {"name", "m"}, {"token", "t"}, {"instance", "https://a"}, {"max_characters", 0}},
         "--max-characters must be a whole number from 1 to 1000000"},
        {{{"platform", "bluesky"}, {"name", "b"}, {"token", "t"}, {"handle", "a.b"}},
         "bluesky accounts use an app password (--app-password-file), not a token"},
        {{{"platform", "bluesky"}, {"name", "b"}, {"handle", "a.b"}},
         "a bluesky account needs --app-password-file FILE"},
        {{{"platform", "bluesky"}, {"name", "b"}, {"app_password", "p"}},
         "a bluesky account needs --handle HANDLE (e.g. alice.bsky.social)"},
        {{{"platform", "bluesky"}, {"name", "b"}, {"app_password", "p"}, {"handle", "nodot"}},
         "--handle 'nodot' is not a Bluesky handle (e.g. alice.bsky.social)"},
        {{{"platform", "threads"}, {"name", "t"}, {"app_password", "p"}, {"token", "t"}},
         "--app-password-file applies only to bluesky accounts, not threads"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.params.dump());
        Fixture f;
        std::string kind;
        CHECK(error_of([&] { f.add(c.params); }, &kind) == c.message);
        CHECK(kind == "bad_input");
        CHECK(count_accounts(f.store) == 0);
        CHECK(f.secrets.values.empty());
    }
}

TEST_CASE("account.add: the settings each platform keeps") {
    Fixture f;
    CHECK(accounts::to_json(f.add({{"platform", "x"}, {"name", "x"}, {"token", "t"}, {"username", "@alice"}}))
              .dump() == R"({"name":"x","platform":"x","api_base":null,"settings":{"username":"alice"}})");
    CHECK(accounts::to_json(f.add({{"platform", "mastodon"}, {"name", "m"}, {"token", "t"},
                                   {"instance", "mastodon.social/"}, {"max_characters", 1000}}))
              .dump() ==
          R"({"name":"m","platform":"mastodon","api_base":"https://mastodon.social","settings":{"max_characters":1000}})");
    CHECK(accounts::to_json(f.add({{"platform", "bluesky"}, {"name", "b"}, {"app_password", "p"},
                                   {"handle", "@alice.example.com"}, {"service", "http://127.0.0.1:1/bluesky/"}}))
              .dump() ==
          R"({"name":"b","platform":"bluesky","api_base":"http://127.0.0.1:1/bluesky","settings":{"handle":"alice.example.com"}})");
    CHECK(f.secrets.get("b", "app_password") == std::optional<std::string>("p"));
}

TEST_CASE("publisher_account: each platform's ids land where its publisher reads them") {
    Fixture f;
    f.add({{"platform", "x"}, {"name", "x1"}, {"token", "tx"}, {"username", "alice"}});
    f.add({{"platform", "linkedin"}, {"name", "li"}, {"token", "tl"}, {"author", "urn:li:organization:42"}});
    f.add({{"platform", "facebook"}, {"name", "fb"}, {"token", "tf"}, {"page_id", "1049"}});
    f.add({{"platform", "instagram"}, {"name", "ig"}, {"token", "ti"}, {"ig_user_id", "1784"}});
    f.add({{"platform", "threads"}, {"name", "th"}, {"token", "tt"}});
    f.add({{"platform", "mastodon"}, {"name", "ma"}, {"token", "tm"}, {"instance", "https://m.example"}});
    f.add({{"platform", "bluesky"}, {"name", "bs"}, {"app_password", "pw"}, {"handle", "a.example"},
           {"web_base", "https://web.example"}});
    const auto view = [&](const char* name) {
        return accounts::publisher_account(accounts::get(f.store, name), f.secrets);
    };
    auto x = view("x1");
    CHECK(x.platform == Platform::x);
    CHECK(x.username == "alice");
    CHECK(x.access_token == "tx");
    CHECK(view("li").user_id == "urn:li:organization:42");
    CHECK(view("fb").user_id == "1049");
    CHECK(view("ig").user_id == "1784");
    CHECK(view("th").user_id == "me");
    CHECK(view("ma").api_base == "https://m.example");
    CHECK(view("ma").access_token == "tm");
    auto bs = view("bs");
    CHECK(bs.username == "a.example");
    CHECK(bs.app_password == "pw");
    CHECK(bs.access_token.empty());
    CHECK(bs.session.access_jwt.empty());
    CHECK(bs.web_base == "https://web.example");
}

TEST_CASE("publisher_account: a missing secret means the account needs a new login") {
    Fixture f;
    f.add(x_params("work-x"));
    f.secrets.values.clear();
    std::string kind;
    CHECK(error_of([&] { accounts::publisher_account(accounts::get(f.store, "work-x"), f.secrets); }, &kind) ==
          "account work-x has no access token stored; give it one with: growthctl account login x --name "
          "work-x (or: growthctl account update work-x --token-file FILE)");
    CHECK(kind == "needs_auth");
}

TEST_CASE("save_session: a saved Bluesky session comes back with the account") {
    Fixture f;
    f.add({{"platform", "bluesky"}, {"name", "bs"}, {"app_password", "pw"}, {"handle", "a.example"}});
    const auto account = accounts::get(f.store, "bs");
    const growth::publish::BlueskySession s{"acc", "ref", "did:plc:abc", "a.example"};
    accounts::save_session(f.secrets, account, s);
    CHECK(accounts::publisher_account(account, f.secrets).session == s);
    CHECK(accounts::secret_fields(account, f.secrets) == std::vector<std::string>{"app_password", "session"});
}
