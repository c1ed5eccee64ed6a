#pragma once
// A store and an in-memory vault in a temporary directory, with accounts added as account.add
// does: the fixture the account tests share.

#include "core/accounts/accounts.hpp"
#include "core/accounts/manage.hpp"
#include "core/json.hpp"
#include "core/store/store.hpp"
#include "secrets_test_support.hpp"

namespace growth::test {

struct AccountsFixture {
    SecretsTempDir tmp;
    Store store{tmp.path / "growth.db"};
    MemorySecrets secrets;

    /// Adds the account `params` describe at time 1000. Throws as accounts::add.
    accounts::Account add(Json params) {
        return accounts::add(store, secrets, accounts::parse_new_account(params), 1000);
    }
};

}  // namespace growth::test
