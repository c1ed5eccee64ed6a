// Removing an account so that no interruption leaves a sealed secret without its account: the
// vault step runs while the row's deletion is still uncommitted (faults injected between them).

#include <doctest/doctest.h>

#include <functional>
#include <stdexcept>
#include <string>

#include <SQLiteCpp/Statement.h>

#include "core/accounts/accounts.hpp"
#include "core/accounts/manage.hpp"
#include "core/error.hpp"
#include "secrets_test_support.hpp"

using growth::Error;
using growth::Store;
using growth::Json;
using growth::test::MemorySecrets;
using growth::test::SecretsTempDir;
namespace accounts = growth::accounts;

namespace {

/// The in-memory secret store with a fault at erase_account: `before` throws without erasing
/// (the vault refused, or the process died before the vault step); `after` erases, then
/// throws (the process died between the vault step and the row's commit).
struct FaultySecrets final : growth::secrets::SecretStore {
    MemorySecrets inner;
    enum class Fault { none, before, after } erase_fault = Fault::none;

    void put(std::string_view a, std::string_view f, std::string_view v) override { inner.put(a, f, v); }
    std::optional<std::string> get(std::string_view a, std::string_view f) override { return inner.get(a, f); }
    void erase_account(std::string_view a) override {
        if (erase_fault == Fault::before) throw Error("vault_error", "vault test: erase refused");
        inner.erase_account(a);
        if (erase_fault == Fault::after) throw std::runtime_error("crash after the vault step");
    }
};

struct Fixture {
    SecretsTempDir tmp;
    Store store{tmp.path / "growth.db"};
    FaultySecrets secrets;

    Fixture() {
        accounts::add(store, secrets,
                      accounts::parse_new_account(Json{{"platform", "x"}, {"name", "work-x"}, {"token", "tok"}}),
                      1000);
    }
    long long rows() { return store.db().execAndGet("SELECT count(*) FROM accounts").getInt64(); }
    /// Every account name that has a secret also has its row.
    bool no_orphan_secret() {
        for (const auto& [key, value] : secrets.inner.values) {
            SQLite::Statement q(store.db(), "SELECT count(*) FROM accounts WHERE name = ?");
            q.bind(1, key.first);
            q.executeStep();
            if (q.getColumn(0).getInt() == 0) return false;
        }
        return true;
    }
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

}  // namespace

TEST_CASE("account remove: a vault that refuses the erase leaves the account whole") {
    Fixture f;
    f.secrets.erase_fault = FaultySecrets::Fault::before;
    std::string kind;
    error_of([&] { accounts::remove(f.store, f.secrets, "work-x"); }, &kind);
    CHECK(kind == "vault_error");
    CHECK(f.rows() == 1);
    CHECK(f.secrets.get("work-x", "access_token") == std::optional<std::string>("tok"));
    CHECK(f.no_orphan_secret());
}

TEST_CASE("account remove: interrupted between the vault step and the row, no secret is orphaned") {
    Fixture f;
    f.secrets.erase_fault = FaultySecrets::Fault::after;
    CHECK_THROWS_AS(accounts::remove(f.store, f.secrets, "work-x"), std::runtime_error);
    CHECK(f.no_orphan_secret());
    // The row is left without its secret: the account needs a new login, or a second remove.
    CHECK(f.rows() == 1);
    std::string kind;
    error_of([&] { accounts::publisher_account(accounts::get(f.store, "work-x"), f.secrets); }, &kind);
    CHECK(kind == "needs_auth");
    f.secrets.erase_fault = FaultySecrets::Fault::none;
    accounts::remove(f.store, f.secrets, "work-x");
    CHECK(f.rows() == 0);
    CHECK(f.secrets.inner.values.empty());
}
