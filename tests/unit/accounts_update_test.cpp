// Giving an account a new secret in place: accounts::parse_secret_update, check_identity and
// update_secret.

#include <doctest/doctest.h>

#include <functional>
#include <string>

#include <SQLiteCpp/Statement.h>

#include "core/accounts/accounts.hpp"
#include "core/accounts/manage.hpp"
#include "core/accounts/update.hpp"
#include "core/error.hpp"
#include "accounts_test_support.hpp"

using growth::Error;
using growth::Store;
using growth::Json;
using growth::test::MemorySecrets;
using growth::test::SecretsTempDir;
namespace accounts = growth::accounts;

namespace {

struct Fixture : growth::test::AccountsFixture {
    accounts::SecretUpdate update(Json params) { return accounts::parse_secret_update(store, params); }
};

std::string error_of(const std::function<void()>& f, std::string* kind = nullptr) {
    try {
        f();
    } catch (const Error& e) {
        if (kind) *kind = e.kind();
        return e.what();
    }
    return "(no error)";
}

growth::publish::Identity identity(std::string id, std::string username) {
    return growth::publish::Identity{std::move(id), std::move(username), ""};
}

}  // namespace

TEST_CASE("account update: the token is replaced in place; the id and the targets stay") {
    Fixture f;
    const auto a = f.add({{"platform", "x"}, {"name", "work-x"}, {"token", "old"}});
    f.store.db().exec("INSERT INTO posts (id, text, created_at, updated_at) VALUES ('p1', 'hi', 1, 1)");
    SQLite::Statement t(f.store.db(), "INSERT INTO targets (post_id, account_id, account, platform, "
                                      "created_at, updated_at) VALUES ('p1', ?, 'work-x', 'x', 1, 1)");
    t.bind(1, static_cast<std::int64_t>(a.id));
    t.exec();
    const auto u = f.update({{"name", "work-x"}, {"token", "new"}});
    CHECK(accounts::update_secret(f.store, f.secrets, u, std::nullopt, 2000).id == a.id);
    CHECK(f.secrets.get("work-x", "access_token") == std::optional<std::string>("new"));
    CHECK(f.store.db().execAndGet("SELECT account_id FROM targets").getInt64() == a.id);
    CHECK(f.store.db().execAndGet("SELECT updated_at FROM accounts").getInt64() == 2000);
    CHECK(accounts::publisher_account(accounts::get(f.store, "work-x"), f.secrets).access_token == "new");
}

TEST_CASE("account update: bad input is named and changes nothing") {
    Fixture f;
    f.add({{"platform", "x"}, {"name", "work-x"}, {"token", "old"}});
    f.add({{"platform", "bluesky"}, {"name", "bs"}, {"app_password", "pw"}, {"handle", "alice.example"}});
    const auto message = [&](Json params) {
        std::string kind;
        std::string m = error_of([&] { f.update(std::move(params)); }, &kind);
        return kind + ": " + m;
    };
    CHECK(message({{"name", "work-x"}}) ==
          "bad_input: account work-x needs its new token: --token-file FILE or --token-stdin");
    CHECK(message({{"name", "bs"}}) == "bad_input: account bs needs its new app password: --app-password-file FILE");
    CHECK(message({{"name", "work-x"}, {"token", "a"}, {"app_password", "b"}}) ==
          "bad_input: give the new token or the new app password, not both");
    CHECK(message({{"name", "work-x"}, {"token", ""}}) ==
          "bad_input: the token is empty (from --token-file/--token-stdin)");
    CHECK(message({{"name", "work-x"}, {"token", "two words"}}) ==
          "bad_input: the token contains spaces or control characters (is --token-file/--token-stdin the "
          "right file?)");
    CHECK(message({{"name", "work-x"}, {"token", 7}}) == "bad_input: token must be a string");
    CHECK(message({{"name", "nope"}, {"token", "t"}}) == "account_not_found: no account named 'nope'");
    CHECK(f.secrets.get("work-x", "access_token") == std::optional<std::string>("old"));
    CHECK(f.secrets.get("bs", "app_password") == std::optional<std::string>("pw"));
}

TEST_CASE("account update: a vault that refuses the write leaves the old secret") {
    Fixture f;
    f.add({{"platform", "x"}, {"name", "work-x"}, {"token", "old"}});
    const auto u = f.update({{"name", "work-x"}, {"token", "new"}});
    f.secrets.fail_puts = true;
    std::string kind;
    error_of([&] { accounts::update_secret(f.store, f.secrets, u, std::nullopt, 2000); }, &kind);
    CHECK(kind == "vault_error");
    CHECK(f.secrets.get("work-x", "access_token") == std::optional<std::string>("old"));
    CHECK(f.store.db().execAndGet("SELECT updated_at FROM accounts").getInt64() == 1000);
}

TEST_CASE("account update: an account removed, or added again for another user, is not given the secret") {
    Fixture f;
    f.add({{"platform", "x"}, {"name", "work-x"}, {"token", "old"}, {"username", "alice"}});
    const auto u = f.update({{"name", "work-x"}, {"token", "new"}});
    accounts::remove(f.store, f.secrets, "work-x");
    std::string kind;
    CHECK(error_of([&] { accounts::update_secret(f.store, f.secrets, u, std::nullopt, 2000); }, &kind) ==
          "account work-x was removed (or replaced) while its new secret was being checked; nothing was stored");
    CHECK(f.secrets.values.empty());
    // Added again under the same name (SQLite gives it the same id) for another user.
    const auto again = f.add({{"platform", "x"}, {"name", "work-x"}, {"token", "other"}, {"username", "bob"}});
    CHECK(again.id == u.account.id);
    CHECK(error_of([&] { accounts::update_secret(f.store, f.secrets, u, std::nullopt, 2000); }, &kind) ==
          "account work-x was removed (or replaced) while its new secret was being checked; nothing was stored");
    CHECK(kind == "account_not_found");
    CHECK(f.secrets.get("work-x", "access_token") == std::optional<std::string>("other"));
}

TEST_CASE("account update: the new secret must be the account's own user where the account names it") {
    Fixture f;
    f.add({{"platform", "x"}, {"name", "x1"}, {"token", "t"}, {"username", "Alice"}});
    f.add({{"platform", "x"}, {"name", "x2"}, {"token", "t"}});
    f.add({{"platform", "linkedin"}, {"name", "li"}, {"token", "t"}, {"author", "urn:li:person:AbC"}});
    f.add({{"platform", "linkedin"}, {"name", "li-org"}, {"token", "t"}, {"author", "urn:li:organization:9"}});
    f.add({{"platform", "bluesky"}, {"name", "bs"}, {"app_password", "p"}, {"handle", "alice.example"}});
    const auto check = [&](const char* name, const char* secret, growth::publish::Identity id) {
        const auto u = f.update({{"name", name}, {secret, "s"}});
        return error_of([&] { accounts::check_identity(u, id); });
    };
    CHECK(check("x1", "token", identity("1", "alice")) == "(no error)");  // X usernames ignore case
    CHECK(check("x1", "token", identity("2", "bob")) ==
          "the new token of account x1 belongs to X user @bob, not @Alice (the account's); nothing was changed");
    CHECK(check("x2", "token", identity("2", "bob")) == "(no error)");  // no username to compare
    CHECK(check("li", "token", identity("AbC", "")) == "(no error)");
    CHECK(check("li", "token", identity("Zed", "")) ==
          "the new token of account li belongs to LinkedIn member urn:li:person:Zed, not urn:li:person:AbC "
          "(the account's); nothing was changed");
    CHECK(check("li-org", "token", identity("Zed", "")) == "(no error)");  // any admin may post for it
    CHECK(check("bs", "app_password", identity("did:plc:x", "ALICE.example")) == "(no error)");
    CHECK(check("bs", "app_password", identity("did:plc:y", "bob.example")) ==
          "the new app password of account bs belongs to Bluesky account bob.example, not alice.example "
          "(the account's); nothing was changed");
}
