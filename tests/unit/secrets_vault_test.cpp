// The vault: values sealed under the data key and bound to (account, field); the key file; a
// wrong or missing key refused with one clear error and nothing written.

#include <doctest/doctest.h>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "core/error.hpp"
#include "core/secrets/aead.hpp"
#include "core/secrets/key_file.hpp"
#include "core/secrets/vault.hpp"
#include "secrets_test_support.hpp"

namespace fs = std::filesystem;
using growth::Error;
using growth::secrets::KeyFileSource;
using growth::secrets::Vault;
using growth::test::SecretsTempDir;
using growth::test::slurp;

namespace {

std::unique_ptr<Vault> open_vault(const fs::path& dir, const fs::path& key) {
    return std::make_unique<Vault>(dir / "vault.db", std::make_unique<KeyFileSource>(key));
}

unsigned mode_of(const fs::path& p) {
    struct stat st {};
    REQUIRE(::stat(p.c_str(), &st) == 0);
    return st.st_mode & 07777;
}

std::string error_of(const std::function<void()>& f, std::string* kind = nullptr) {
    try {
        f();
    } catch (const Error& e) {
        if (kind) *kind = e.kind();
        return e.what();
    }
    return "(no error)";
}

// Every byte of the vault's files, to show that a refused open wrote nothing.
std::string vault_bytes(const fs::path& dir) {
    std::string all;
    for (const char* name : {"vault.db", "vault.db-wal", "vault.db-shm"}) {
        if (fs::exists(dir / name)) all += std::string(name) + ":" + slurp(dir / name) + "\n";
    }
    return all;
}

}  // namespace

TEST_CASE("vault: a stored value reads back after reopening with the same key file") {
    SecretsTempDir tmp;
    const fs::path key = tmp.path / "config" / "growth" / "vault.key";
    {
        auto v = open_vault(tmp.path, key);
        v->put("work-x", "access_token", "tok-123");
    }
    auto v = open_vault(tmp.path, key);
    CHECK(v->get("work-x", "access_token") == std::optional<std::string>("tok-123"));
    CHECK(v->get("work-x", "refresh_token") == std::nullopt);
    CHECK(v->get("other", "access_token") == std::nullopt);
}

TEST_CASE("vault: put replaces a value") {
    SecretsTempDir tmp;
    auto v = open_vault(tmp.path, tmp.path / "k" / "vault.key");
    v->put("a", "access_token", "one");
    v->put("a", "access_token", "two");
    CHECK(v->get("a", "access_token") == std::optional<std::string>("two"));
}

TEST_CASE("vault: erase_account removes every field of that account and no other") {
    SecretsTempDir tmp;
    auto v = open_vault(tmp.path, tmp.path / "k" / "vault.key");
    v->put("a", "access_token", "1");
    v->put("a", "session", "2");
    v->put("b", "access_token", "3");
    v->erase_account("a");
    CHECK(v->get("a", "access_token") == std::nullopt);
    CHECK(v->get("a", "session") == std::nullopt);
    CHECK(v->get("b", "access_token") == std::optional<std::string>("3"));
}

TEST_CASE("vault: the key file is created 0600 in a 0700 directory, the vault file 0600") {
    SecretsTempDir tmp;
    const fs::path key = tmp.path / "cfg" / "vault.key";
    auto v = open_vault(tmp.path, key);
    CHECK(mode_of(key) == 0600u);
    CHECK(mode_of(key.parent_path()) == 0700u);
    CHECK(fs::file_size(key) == 32u);
    CHECK(mode_of(tmp.path / "vault.db") == 0600u);
}

TEST_CASE("vault: the plaintext never reaches the disk") {
    SecretsTempDir tmp;
    {
        auto v = open_vault(tmp.path, tmp.path / "k" / "vault.key");
        v->put("a", "access_token", "very-secret-token-text");
    }
    CHECK(vault_bytes(tmp.path).find("very-secret-token-text") == std::string::npos);
}

TEST_CASE("vault: WAL journal, synchronous FULL and the latest schema version") {
    SecretsTempDir tmp;
    auto v = open_vault(tmp.path, tmp.path / "k" / "vault.key");
    CHECK(v->user_version() == Vault::latest_version());
    CHECK(Vault::latest_version() == 2);
    SQLite::Database db((tmp.path / "vault.db").string(), SQLite::OPEN_READONLY);
    CHECK(db.execAndGet("PRAGMA journal_mode").getString() == "wal");
}

TEST_CASE("vault: a value moved to another row does not open (associated data)") {
    SecretsTempDir tmp;
    const fs::path key = tmp.path / "k" / "vault.key";
    {
        auto v = open_vault(tmp.path, key);
        v->put("alice", "access_token", "alice-token");
        v->put("bob", "access_token", "bob-token");
    }
    {
        SQLite::Database db((tmp.path / "vault.db").string(), SQLite::OPEN_READWRITE);
        db.exec("UPDATE secrets SET sealed = (SELECT sealed FROM secrets WHERE account = 'alice') "
                "WHERE account = 'bob'");
    }
    auto v = open_vault(tmp.path, key);
    std::string kind;
    CHECK(error_of([&] { (void)v->get("bob", "access_token"); }, &kind) ==
          "vault " + (tmp.path / "vault.db").string() +
              ": the access_token of account bob does not decrypt (changed on disk, or copied "
              "from another row)");
    CHECK(kind == "vault_error");
    CHECK(v->get("alice", "access_token") == std::optional<std::string>("alice-token"));
}

TEST_CASE("vault: a value moved to another field of the same account does not open") {
    SecretsTempDir tmp;
    const fs::path key = tmp.path / "k" / "vault.key";
    {
        auto v = open_vault(tmp.path, key);
        v->put("a", "access_token", "t");
        v->put("a", "app_password", "p");
        SQLite::Database db((tmp.path / "vault.db").string(), SQLite::OPEN_READWRITE);
        db.exec("UPDATE secrets SET sealed = (SELECT sealed FROM secrets WHERE field = 'access_token') "
                "WHERE field = 'app_password'");
    }
    auto v = open_vault(tmp.path, key);
    std::string kind;
    error_of([&] { (void)v->get("a", "app_password"); }, &kind);
    CHECK(kind == "vault_error");
}

TEST_CASE("vault: a wrong key file is refused with one clear error and nothing is written") {
    SecretsTempDir tmp;
    {
        auto v = open_vault(tmp.path, tmp.path / "right" / "vault.key");
        v->put("a", "access_token", "t");
    }
    const fs::path wrong = tmp.path / "wrong" / "vault.key";
    {
        std::string params;
        (void)KeyFileSource(wrong).key(params, true);
    }
    const std::string before = vault_bytes(tmp.path);
    const std::string wrong_key = slurp(wrong);
    std::string kind;
    CHECK(error_of([&] { open_vault(tmp.path, wrong); }, &kind) ==
          "vault " + (tmp.path / "vault.db").string() + ": the key file " + wrong.string() +
              " does not open it (wrong key); nothing was changed");
    CHECK(kind == "vault_error");
    CHECK(vault_bytes(tmp.path) == before);
    CHECK(slurp(wrong) == wrong_key);
}

TEST_CASE("vault: a missing key file for an existing vault is not recreated") {
    SecretsTempDir tmp;
    const fs::path key = tmp.path / "k" / "vault.key";
    { open_vault(tmp.path, key); }
    fs::remove(key);
    std::string kind;
    CHECK(error_of([&] { open_vault(tmp.path, key); }, &kind) ==
          "key file " + key.string() +
              ": missing; the vault was sealed with it (restore the key file, or pass the right "
              "one with --key-file)");
    CHECK(kind == "vault_error");
    CHECK_FALSE(fs::exists(key));
}

TEST_CASE("vault: a key file others can read is refused") {
    SecretsTempDir tmp;
    const fs::path key = tmp.path / "k" / "vault.key";
    { open_vault(tmp.path, key); }
    fs::permissions(key, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                             fs::perms::others_read);
    CHECK(error_of([&] { open_vault(tmp.path, key); }) ==
          "key file " + key.string() + ": is accessible by other users (mode 0644); run: chmod 600 " +
              key.string());
}

TEST_CASE("vault: a key file of the wrong size is refused") {
    SecretsTempDir tmp;
    const fs::path key = tmp.path / "vault.key";
    {
        std::ofstream out(key);
        out << "short\n";
    }
    fs::permissions(key, fs::perms::owner_read | fs::perms::owner_write);
    CHECK(error_of([&] { open_vault(tmp.path, key); }) ==
          "key file " + key.string() + ": has 6 bytes; a key file holds exactly 32");
    CHECK_FALSE(fs::exists(tmp.path / "vault.db-wal"));
}

TEST_CASE("vault: a vault newer than this binary is refused untouched") {
    SecretsTempDir tmp;
    const fs::path key = tmp.path / "k" / "vault.key";
    { open_vault(tmp.path, key); }
    {
        SQLite::Database db((tmp.path / "vault.db").string(), SQLite::OPEN_READWRITE);
        db.exec("PRAGMA user_version = 9");
        db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    }
    const std::string before = vault_bytes(tmp.path);
    std::string kind;
    CHECK(error_of([&] { open_vault(tmp.path, key); }, &kind) ==
          "vault " + (tmp.path / "vault.db").string() +
              ": schema version 9 is not one this growth supports (version 2); the file was not "
              "changed");
    CHECK(kind == "vault_error");
    CHECK(vault_bytes(tmp.path) == before);
}

TEST_CASE("aead: a flipped byte, another key or other associated data does not open") {
    using namespace growth::secrets;
    ensure_sodium();
    const Key k = Key::random();
    const std::string sealed = seal(k, "hello", value_ad("a", "f"));
    CHECK(sealed.size() == 24 + 5 + 16);
    CHECK(open(k, sealed, value_ad("a", "f")) == std::optional<std::string>("hello"));
    std::string flipped = sealed;
    flipped[30] = static_cast<char>(flipped[30] ^ 1);
    CHECK(open(k, flipped, value_ad("a", "f")) == std::nullopt);
    CHECK(open(Key::random(), sealed, value_ad("a", "f")) == std::nullopt);
    CHECK(open(k, sealed, value_ad("a", "g")) == std::nullopt);
    CHECK(open(k, sealed.substr(0, 10), value_ad("a", "f")) == std::nullopt);
}

TEST_CASE("aead: associated data is unambiguous across the account/field boundary") {
    using growth::secrets::value_ad;
    CHECK(value_ad("ab", "c") != value_ad("a", "bc"));
}

TEST_CASE("key file: the default is vault.key beside config.toml") {
    const auto env = [](const char* name) -> const char* {
        return std::string_view(name) == "XDG_CONFIG_HOME" ? "/cfg" : nullptr;
    };
    CHECK(growth::secrets::default_key_file(env) == fs::path("/cfg/growth/vault.key"));
}
