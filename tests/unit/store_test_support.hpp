#pragma once
// A growth.db in a fresh temporary directory, removed with the directory when the test ends.

#include <doctest/doctest.h>
#include <stdlib.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>

#include "core/accounts/accounts.hpp"
#include "core/store/store.hpp"

namespace growth::test {

struct TempStore {
    std::filesystem::path dir;
    std::unique_ptr<Store> store;
    TempStore() {
        std::string tmpl = (std::filesystem::temp_directory_path() / "growth-store-XXXXXX").string();
        REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
        dir = tmpl;
        store = std::make_unique<Store>(dir / "growth.db");
    }
    ~TempStore() {
        store.reset();
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
    }
    TempStore(const TempStore&) = delete;
    TempStore& operator=(const TempStore&) = delete;
    SQLite::Database& db() { return store->db(); }
};

/// Inserts a Mastodon account row named `name` and returns it as accounts::get would.
inline accounts::Account insert_mastodon_account(Store& store, const std::string& name) {
    store.db().exec("INSERT INTO accounts (name, platform, created_at, updated_at) VALUES ('" + name +
                    "', 'mastodon', 0, 0)");
    accounts::Account a;
    a.id = store.db().getLastInsertRowid();
    a.name = name;
    a.platform = publish::Platform::mastodon;
    a.settings = Json::object();
    return a;
}

/// Deterministic "random" bits for post ids and keys (pipeline::RandomBits) in tests.
inline std::uint32_t next_bits() {
    static std::uint32_t n = 0;
    return ++n * 2654435761U;
}

}  // namespace growth::test
