// The passphrase key source (DESIGN.md §6): Argon2id against an independent reference, its
// stored parameters bounded, and the vault's lock, unlock and rekey, with rekey's crash points
// tested by killing a child process at each step.

#include <doctest/doctest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <sodium.h>

#include "core/error.hpp"
#include "core/secrets/key_file.hpp"
#include "core/secrets/passphrase.hpp"
#include "core/secrets/vault.hpp"
#include "secrets_test_support.hpp"

namespace fs = std::filesystem;
using growth::Error;
using namespace growth::secrets;
using growth::test::SecretsTempDir;

namespace {

std::string hex(const Key& k) {
    char out[2 * key_bytes + 1];
    sodium_bin2hex(out, sizeof out, k.data(), k.size());
    return out;
}

std::string kind_of(const std::function<void()>& f, std::string* message = nullptr) {
    try {
        f();
    } catch (const Error& e) {
        if (message) *message = e.what();
        return e.kind();
    }
    return "(no error)";
}

const KdfCost cheap{1, 8u << 20};

std::unique_ptr<Vault> open_vault(const fs::path& dir) {
    return std::make_unique<Vault>(dir / "vault.db", std::make_unique<KeyFileSource>(dir / "k" / "vault.key"));
}

// Seals the vault at `dir` with `passphrase` (cheap cost); returns the stored parameter line.
std::string seal_with_passphrase(Vault& v, const std::string& passphrase) {
    const KdfParams p = new_kdf_params(cheap);
    v.rekey_with("passphrase", encode_kdf_params(p), derive_kek(passphrase, p));
    return encode_kdf_params(p);
}

void unlock(Vault& v, const std::string& passphrase) {
    v.unlock_with(derive_kek(passphrase, parse_kdf_params(v.status().key_params)));
}

}  // namespace

TEST_CASE("passphrase: Argon2id matches the reference implementation (argon2 CLI, phc-winner-argon2)") {
    // echo -n "correct horse battery staple" | argon2 "growth-kat-salt!" -id -t 2 -k 8192 -p 1 -l 32 -r
    KdfParams p{{2, 8192u * 1024}, "growth-kat-salt!"};
    CHECK(hex(derive_kek("correct horse battery staple", p)) ==
          "ceb4aae8fefb78ea10afedcd78e0b161fe63cbb14979b569f6ab15fbbf60e80f");
    p.salt[0] = 'G';
    CHECK(hex(derive_kek("correct horse battery staple", p)) !=
          "ceb4aae8fefb78ea10afedcd78e0b161fe63cbb14979b569f6ab15fbbf60e80f");
}

TEST_CASE("passphrase: parameters round-trip and out-of-bounds or malformed lines are refused by name") {
    const KdfParams p = new_kdf_params({3, 64u << 20});
    CHECK(p.salt.size() == 16);
    const std::string line = encode_kdf_params(p);
    CHECK(line.rfind("argon2id;v=19;ops=3;mem=67108864;salt=", 0) == 0);
    const KdfParams back = parse_kdf_params(line);
    CHECK(back.cost.ops == 3);
    CHECK(back.cost.memory == (64u << 20));
    CHECK(back.salt == p.salt);
    CHECK(new_kdf_params({3, 64u << 20}).salt != p.salt);

    std::string message;
    for (const std::string& bad : std::vector<std::string>{"", "argon2i;v=19;ops=3;mem=67108864;salt=AAAAAAAAAAAAAAAAAAAAAA==",
                                  "argon2id;v=19;ops=0;mem=67108864;salt=AAAAAAAAAAAAAAAAAAAAAA==",
                                  "argon2id;v=19;ops=17;mem=67108864;salt=AAAAAAAAAAAAAAAAAAAAAA==",
                                  "argon2id;v=19;ops=3;mem=99999999999;salt=AAAAAAAAAAAAAAAAAAAAAA==",
                                  "argon2id;v=19;ops=3;mem=1048576;salt=AAAAAAAAAAAAAAAAAAAAAA==",
                                  "argon2id;v=19;ops=3;mem=67108864;salt=AAAA",
                                  "argon2id;v=19;ops=3;mem=67108864;salt=AAAAAAAAAAAAAAAAAAAAAA==x",
                                  "argon2id;v=19;ops=-3;mem=67108864;salt=AAAAAAAAAAAAAAAAAAAAAA==",
                                  "argon2id;v=19;ops=3;salt=AAAAAAAAAAAAAAAAAAAAAA==", std::string(300, 'a')}) {
        CAPTURE(bad);
        CHECK(kind_of([&] { parse_kdf_params(bad); }, &message) == "vault_error");
        CHECK(message.find("passphrase parameters in the vault") != std::string::npos);
    }
    CHECK(kind_of([] { new_kdf_params({0, 64u << 20}); }, &message) == "bad_input");
    CHECK(message == "--kdf-ops 0 is out of range: 1 to 16 passes");
    CHECK(kind_of([] { new_kdf_params({3, 2u << 30}); }, &message) == "bad_input");
    CHECK(message == "--kdf-memory 2048 MiB is out of range: 8 to 1024 MiB");
}

TEST_CASE("passphrase: a new passphrase needs 8 characters, no line break, valid UTF-8") {
    CHECK_NOTHROW(check_new_passphrase("correct horse"));
    CHECK_NOTHROW(check_new_passphrase("ÄÖÜäöüßé"));  // 8 characters, 16 bytes
    CHECK(kind_of([] { check_new_passphrase("ÄÖÜäöüß"); }) == "bad_input");
    CHECK(kind_of([] { check_new_passphrase("short"); }) == "bad_input");
    CHECK(kind_of([] { check_new_passphrase("two\nlines here"); }) == "bad_input");
    CHECK(kind_of([] { check_new_passphrase("bad \xff utf-8 here"); }) == "bad_input");
    CHECK(kind_of([] { check_new_passphrase(std::string(1025, 'a')); }) == "bad_input");
    CHECK(kind_of([] { derive_kek("", new_kdf_params(cheap)); }) == "bad_input");
}

TEST_CASE("vault: sealed with a passphrase it reopens locked, a wrong passphrase changes nothing, the right one opens it") {
    SecretsTempDir tmp;
    {
        auto v = open_vault(tmp.path);
        v->put("acct", "access_token", "tok-1");
        seal_with_passphrase(*v, "correct horse");
        CHECK_FALSE(v->locked());  // a rekey keeps it open
        CHECK(v->get("acct", "access_token") == "tok-1");
    }
    auto v = open_vault(tmp.path);
    CHECK(v->locked());
    const VaultStatus st = v->status();
    CHECK(st.key_source == "passphrase");
    CHECK(st.locked);
    CHECK(st.secrets == 1);
    CHECK(st.rekeyed_at > 0);
    std::string message;
    CHECK(kind_of([&] { v->get("acct", "access_token"); }, &message) == "vault_locked");
    CHECK(message.find("growthctl unlock") != std::string::npos);
    CHECK(kind_of([&] { v->put("acct", "f", "x"); }) == "vault_locked");
    CHECK(kind_of([&] { v->erase_account("acct"); }) == "vault_locked");
    CHECK(kind_of([&] { v->lock(); }) == "vault_locked");
    CHECK(kind_of([&] { v->rekey_with("key_file", "", Key::random()); }) == "vault_locked");

    CHECK(kind_of([&] { unlock(*v, "wrong horse"); }) == "wrong_passphrase");
    CHECK(v->locked());
    unlock(*v, "correct horse");
    CHECK_FALSE(v->locked());
    CHECK(v->get("acct", "access_token") == "tok-1");

    v->lock();
    CHECK(v->locked());
    CHECK(kind_of([&] { v->get("acct", "access_token"); }) == "vault_locked");
    unlock(*v, "correct horse");
    CHECK(v->get("acct", "access_token") == "tok-1");
}

TEST_CASE("vault: a key-file vault cannot be locked; rekey back to the key file opens by itself") {
    SecretsTempDir tmp;
    auto v = open_vault(tmp.path);
    v->put("a", "f", "v");
    std::string message;
    CHECK(kind_of([&] { v->lock(); }, &message) == "bad_input");
    CHECK(message.find("vault rekey --passphrase") != std::string::npos);
    seal_with_passphrase(*v, "correct horse");
    std::string none;
    v->rekey_with("key_file", "", KeyFileSource(tmp.path / "k" / "vault.key").key(none, false));
    v.reset();
    auto again = open_vault(tmp.path);
    CHECK_FALSE(again->locked());
    CHECK(again->get("a", "f") == "v");
}

TEST_CASE("vault: version 1 vaults migrate to version 2 and keep their secrets") {
    SecretsTempDir tmp;
    { open_vault(tmp.path)->put("a", "f", "v"); }
    {
        SQLite::Database db((tmp.path / "vault.db").string(), SQLite::OPEN_READWRITE);
        db.exec("ALTER TABLE vault_key DROP COLUMN rekeyed_at");
        db.exec("PRAGMA user_version = 1");
    }
    auto v = open_vault(tmp.path);
    CHECK(v->user_version() == 2);
    CHECK(v->get("a", "f") == "v");
    CHECK(v->status().rekeyed_at == 0);
}

TEST_CASE("vault: a crash at any step of a rekey leaves a vault that opens with the old key or the new one") {
    for (const char* step : {"sealed", "written", "committed"}) {
        CAPTURE(step);
        SecretsTempDir tmp;
        { open_vault(tmp.path)->put("acct", "access_token", "tok"); }
        const KdfParams p = new_kdf_params(cheap);
        const pid_t child = ::fork();
        REQUIRE(child >= 0);
        if (child == 0) {
            // The child rekeys and dies at `step` without unwinding (as kill -9 would).
            try {
                auto v = open_vault(tmp.path);
                v->on_rekey_step = [step](std::string_view at) {
                    if (at == step) ::_exit(9);
                };
                v->rekey_with("passphrase", encode_kdf_params(p), derive_kek("correct horse", p));
            } catch (...) {
                ::_exit(1);
            }
            ::_exit(0);
        }
        int status = 0;
        REQUIRE(::waitpid(child, &status, 0) == child);
        REQUIRE(WIFEXITED(status));
        CHECK(WEXITSTATUS(status) == 9);
        auto v = open_vault(tmp.path);
        if (std::string_view(step) == "committed") {
            REQUIRE(v->locked());
            unlock(*v, "correct horse");
        } else {
            CHECK_FALSE(v->locked());  // the old key file still opens it
            CHECK(v->status().key_source == "key_file");
        }
        CHECK(v->get("acct", "access_token") == "tok");
    }
}
