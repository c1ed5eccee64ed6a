// core/accounts/tokens: where a logged-in account's refresh token and expiry live, when a refresh
// is due, and the order a refresh is stored in (a crash between two writes leaves a token that
// still works).

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/accounts/names.hpp"
#include "core/accounts/tokens.hpp"
#include "tests/unit/secrets_test_support.hpp"

using namespace growth;

namespace {

accounts::Account x_account() {
    accounts::Account a;
    a.id = 1;
    a.name = "me";
    a.platform = Platform::x;
    return a;
}

oauth::TokenSet granted(std::string access, std::string refresh, std::optional<std::int64_t> expires_in) {
    oauth::TokenSet t;
    t.access_token = std::move(access);
    t.refresh_token = std::move(refresh);
    t.expires_in = expires_in;
    return t;
}

/// Refuses every put after the first `allowed` ones: a crash part-way through.
class CrashingSecrets final : public secrets::SecretStore {
public:
    test::MemorySecrets inner;
    int allowed = 0;
    void put(std::string_view account, std::string_view field, std::string_view value) override {
        if (allowed-- <= 0) throw Error("vault_error", "crash");
        inner.put(account, field, value);
    }
    std::optional<std::string> get(std::string_view account, std::string_view field) override {
        return inner.get(account, field);
    }
    void erase_account(std::string_view account) override { inner.erase_account(account); }
};

}  // namespace

TEST_CASE("tokens: a refresh is due after 90% of the life, at least a minute early") {
    CHECK(accounts::refresh_time(0, 7200) == 7200'000 - 720'000);
    CHECK(accounts::refresh_time(1000, 600) == 1000 + 600'000 - 60'000);  // 10% would be 60 s: the minimum
    CHECK(accounts::refresh_time(0, 300) == 300'000 - 60'000);
    CHECK(accounts::refresh_time(0, 10) == 9'000);  // short lives keep 10%
    CHECK(accounts::refresh_time(0, 5183999) == 5183999'000 - 518399'900);
}

TEST_CASE("tokens: a login's details and the state read back") {
    test::MemorySecrets vault;
    const auto a = x_account();
    accounts::save_token_details(vault, a, granted("AT", "RT", 7200), 1'000'000);
    auto s = accounts::token_state(vault, a);
    CHECK(s.refresh_token == "RT");
    CHECK(s.expires_at == 1'000'000 + 7'200'000);
    CHECK(s.refresh_at == accounts::refresh_time(1'000'000, 7200));
    CHECK_FALSE(s.refresh_due(*s.refresh_at - 1));
    CHECK(s.refresh_due(*s.refresh_at));

    // A login without expiry or refresh token leaves nothing stale behind.
    accounts::save_token_details(vault, a, granted("AT2", "", std::nullopt), 2'000'000);
    s = accounts::token_state(vault, a);
    CHECK(s.refresh_token.empty());
    CHECK_FALSE(s.expires_at.has_value());
    CHECK_FALSE(s.refresh_due(9'000'000'000));

    // A value that is not a number (never written by growth) reads as absent.
    vault.put("me", accounts::field_token_expires_at, "soon");
    CHECK_FALSE(accounts::token_state(vault, a).expires_at.has_value());
}

TEST_CASE("tokens: a refresh stores the rotated refresh token first, then the access token") {
    const auto a = x_account();
    for (int allowed = 0; allowed <= 4; ++allowed) {
        CAPTURE(allowed);
        CrashingSecrets vault;
        vault.allowed = 100;
        vault.put("me", accounts::field_access_token, "OLD-AT");
        accounts::save_token_details(vault, a, granted("OLD-AT", "OLD-RT", 7200), 0);
        vault.allowed = allowed;
        try {
            accounts::save_refreshed(vault, a, granted("NEW-AT", "NEW-RT", 7200), 7'000'000);
        } catch (const Error&) {
        }
        const auto at = vault.get("me", accounts::field_access_token);
        const auto state = accounts::token_state(vault, a);
        // Never the new access token with the old (spent) refresh token.
        if (at == "NEW-AT") CHECK(state.refresh_token == "NEW-RT");
        if (allowed == 0) CHECK((at == "OLD-AT" && state.refresh_token == "OLD-RT"));
        if (allowed >= 2) CHECK((at == "NEW-AT" && state.refresh_token == "NEW-RT"));
        if (allowed >= 4) CHECK(state.expires_at == 7'000'000 + 7'200'000);
    }
}

TEST_CASE("tokens: a refresh without a new refresh token keeps the old one (LinkedIn)") {
    test::MemorySecrets vault;
    const auto a = x_account();
    accounts::save_token_details(vault, a, granted("AT", "RT", 60), 0);
    accounts::save_refreshed(vault, a, granted("AT2", "", 5183999), 10'000);
    CHECK(accounts::token_state(vault, a).refresh_token == "RT");
    CHECK(vault.get("me", accounts::field_access_token) == "AT2");
}
