#include "core/secrets/vault.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <system_error>

#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include "core/error.hpp"
#include "core/secrets/aead.hpp"
#include "core/secrets/vault_schema.hpp"
#include "core/store/file_header.hpp"
#include "core/store/store.hpp"

namespace growth::secrets {

namespace {

// Associated data of the wrapped data key: it opens only as a vault data key.
constexpr std::string_view data_key_ad = "growth-vault-data-key-v1";

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// Every failure the vault reports has this one kind; the message names the file.
Error vault_error(const std::filesystem::path& path, const std::string& what) {
    return Error("vault_error", fmt::format("vault {}: {}", path.string(), what));
}

// The vault holds secrets: create it 0600 before SQLite does (its -wal/-shm inherit the mode).
void create_private_if_missing(const std::filesystem::path& path) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd >= 0) {
        ::close(fd);
        return;
    }
    if (errno == EEXIST) return;
    throw vault_error(path, "cannot create: " + std::generic_category().message(errno));
}

std::string_view blob_view(const SQLite::Column& c) {
    return {static_cast<const char*>(c.getBlob()), static_cast<std::size_t>(c.getBytes())};
}

}  // namespace

int Vault::latest_version() noexcept { return static_cast<int>(vault_migrations().size()); }

Vault::Vault(const std::filesystem::path& db_path, std::unique_ptr<KeySource> source)
    : path_(db_path), source_(std::move(source)) {
    ensure_sodium();
    open_database();
    unlock();
}

Vault::~Vault() = default;

void Vault::open_database() {
    const int latest = latest_version();
    try {
        if (const auto v = read_header_user_version(path_); v && (*v > latest || *v < 0)) {
            throw vault_error(path_, fmt::format("schema version {} is not one this growth "
                                                 "supports (version {}); the file was not changed",
                                                 *v, latest));
        }
        create_private_if_missing(path_);
        db_ = std::make_unique<SQLite::Database>(path_.string(),
                                                 SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        db_->setBusyTimeout(Store::busy_timeout_ms);
        const auto v = db_->execAndGet("PRAGMA user_version").getInt64();
        if (v > latest || v < 0) {
            throw vault_error(path_, fmt::format("schema version {} is not one this growth "
                                                 "supports (version {}); the file was not changed",
                                                 v, latest));
        }
        if (db_->execAndGet("PRAGMA journal_mode = WAL").getString() != "wal") {
            throw vault_error(path_, "cannot switch to WAL journal mode");
        }
        db_->exec("PRAGMA synchronous = FULL");
        migrate(*db_, vault_migrations(), path_.string());
    } catch (const SQLite::Exception& e) {
        throw vault_error(path_, e.what());
    } catch (const Error& e) {
        if (e.kind() == "vault_error") throw;
        // Migrations and the header check report store_* kinds; here they are the vault's.
        throw Error("vault_error", e.what());
    }
}

// Runs `f`, reporting SQLite failures and migration kinds as the vault's.
template <typename F>
auto Vault::guarded(F&& f) -> decltype(f()) {
    try {
        return f();
    } catch (const SQLite::Exception& e) {
        throw vault_error(path_, e.what());
    } catch (const Error& e) {
        if (e.kind().rfind("store_", 0) != 0) throw;
        throw Error("vault_error", e.what());
    }
}

void Vault::unlock() {
    guarded([&] {
        SQLite::Statement q(*db_, "SELECT key_source, key_params, wrapped_key FROM vault_key WHERE id = 1");
        if (q.executeStep()) {
            const std::string kind = q.getColumn(0).getString();
            if (kind == "passphrase") return;  // stays locked until unlock_with
            if (kind != source_->kind()) {
                throw vault_error(path_, fmt::format("it is sealed with a {} key source, which this "
                                                     "growth does not know",
                                                     kind));
            }
            std::string params = q.getColumn(1).getString();
            const std::string wrapped(blob_view(q.getColumn(2)));
            const Key kek = source_->key(params, false);
            if (!unwrap(kek, wrapped)) {
                throw vault_error(path_, fmt::format("the {} does not open it (wrong key); "
                                                     "nothing was changed",
                                                     source_->describe()));
            }
            return;
        }
        q.reset();
        // A new vault: a fresh data key, sealed under the source's (possibly new) key.
        std::string params;
        const Key kek = source_->key(params, true);
        Key data_key = Key::random();
        const std::string wrapped = seal(
            kek, std::string_view(reinterpret_cast<const char*>(data_key.data()), key_bytes),
            data_key_ad);
        WriteTransaction tx(*db_);
        SQLite::Statement again(*db_, "SELECT count(*) FROM vault_key");
        again.executeStep();
        if (again.getColumn(0).getInt() != 0) {
            // Another process created it while we waited for the lock: open that one instead.
            tx.commit();
            unlock();
            return;
        }
        SQLite::Statement ins(*db_, "INSERT INTO vault_key (id, key_source, key_params, "
                                    "wrapped_key, created_at) VALUES (1, ?, ?, ?, ?)");
        ins.bind(1, source_->kind());
        ins.bind(2, params);
        ins.bind(3, wrapped.data(), static_cast<int>(wrapped.size()));
        ins.bind(4, static_cast<std::int64_t>(now_ms()));
        ins.exec();
        tx.commit();
        data_key_ = std::move(data_key);
        locked_ = false;
    });
}

bool Vault::unwrap(const Key& kek, std::string_view wrapped) {
    std::optional<std::string> plain = open(kek, wrapped, data_key_ad);
    if (!plain || plain->size() != key_bytes) {
        if (plain) wipe(plain->data(), plain->size());
        return false;
    }
    std::copy(plain->begin(), plain->end(), reinterpret_cast<char*>(data_key_.data()));
    wipe(plain->data(), plain->size());
    locked_ = false;
    return true;
}

void Vault::require_unlocked() const {
    if (locked_) {
        throw Error("vault_locked", "the vault is locked (sealed with a passphrase): run "
                                    "growthctl unlock");
    }
}

VaultStatus Vault::status() {
    return guarded([&] {
        SQLite::Statement q(*db_, "SELECT key_source, key_params, created_at, coalesce(rekeyed_at, 0), "
                                  "(SELECT count(*) FROM secrets) FROM vault_key WHERE id = 1");
        VaultStatus s;
        if (q.executeStep()) {
            s.key_source = q.getColumn(0).getString();
            s.key_params = q.getColumn(1).getString();
            s.created_at = q.getColumn(2).getInt64();
            s.rekeyed_at = q.getColumn(3).getInt64();
            s.secrets = q.getColumn(4).getInt64();
        }
        s.locked = locked_;
        return s;
    });
}

void Vault::unlock_with(const Key& kek) {
    guarded([&] {
        SQLite::Statement q(*db_, "SELECT wrapped_key FROM vault_key WHERE id = 1");
        if (!q.executeStep()) throw vault_error(path_, "it holds no data key");
        if (!unwrap(kek, blob_view(q.getColumn(0)))) {
            throw Error("wrong_passphrase", "the passphrase does not open the vault; nothing was changed");
        }
    });
}

void Vault::lock() {
    require_unlocked();
    if (status().key_source != "passphrase") {
        throw Error("bad_input", "the vault is sealed with a key file, which growthd would read again "
                                 "at once; to lock it, seal it with a passphrase first: growthctl "
                                 "vault rekey --passphrase");
    }
    data_key_ = Key();
    locked_ = true;
}

void Vault::rekey_with(std::string_view kind, std::string_view params, const Key& kek) {
    require_unlocked();
    const std::string wrapped = seal(
        kek, std::string_view(reinterpret_cast<const char*>(data_key_.data()), key_bytes), data_key_ad);
    auto step = [this](std::string_view name) {
        if (on_rekey_step) on_rekey_step(name);
    };
    step("sealed");
    guarded([&] {
        WriteTransaction tx(*db_);
        SQLite::Statement u(*db_, "UPDATE vault_key SET key_source = ?, key_params = ?, wrapped_key = ?, "
                                  "rekeyed_at = ? WHERE id = 1");
        u.bind(1, std::string(kind));
        u.bind(2, std::string(params));
        u.bind(3, wrapped.data(), static_cast<int>(wrapped.size()));
        u.bind(4, static_cast<std::int64_t>(now_ms()));
        if (u.exec() != 1) throw vault_error(path_, "it holds no data key");
        step("written");
        tx.commit();
    });
    step("committed");
}

int Vault::user_version() {
    try {
        return db_->execAndGet("PRAGMA user_version").getInt();
    } catch (const SQLite::Exception& e) {
        throw vault_error(path_, e.what());
    }
}

void Vault::put(std::string_view account, std::string_view field, std::string_view value) {
    require_unlocked();
    const std::string sealed = seal(data_key_, value, value_ad(account, field));
    try {
        WriteTransaction tx(*db_);
        SQLite::Statement q(*db_, "INSERT INTO secrets (account, field, sealed, updated_at) "
                                  "VALUES (?, ?, ?, ?) ON CONFLICT (account, field) DO UPDATE "
                                  "SET sealed = excluded.sealed, updated_at = excluded.updated_at");
        q.bind(1, std::string(account));
        q.bind(2, std::string(field));
        q.bind(3, sealed.data(), static_cast<int>(sealed.size()));
        q.bind(4, static_cast<std::int64_t>(now_ms()));
        q.exec();
        tx.commit();
    } catch (const SQLite::Exception& e) {
        throw vault_error(path_, e.what());
    } catch (const Error& e) {
        if (e.kind() == "vault_error") throw;
        throw Error("vault_error", e.what());
    }
}

std::optional<std::string> Vault::get(std::string_view account, std::string_view field) {
    require_unlocked();
    std::string sealed;
    try {
        SQLite::Statement q(*db_, "SELECT sealed FROM secrets WHERE account = ? AND field = ?");
        q.bind(1, std::string(account));
        q.bind(2, std::string(field));
        if (!q.executeStep()) return std::nullopt;
        sealed = std::string(blob_view(q.getColumn(0)));
    } catch (const SQLite::Exception& e) {
        throw vault_error(path_, e.what());
    }
    std::optional<std::string> plain = open(data_key_, sealed, value_ad(account, field));
    if (!plain) {
        throw vault_error(path_, fmt::format("the {} of account {} does not decrypt (changed on "
                                             "disk, or copied from another row)",
                                             field, account));
    }
    return plain;
}

void Vault::erase_account(std::string_view account) {
    require_unlocked();
    try {
        WriteTransaction tx(*db_);
        SQLite::Statement q(*db_, "DELETE FROM secrets WHERE account = ?");
        q.bind(1, std::string(account));
        q.exec();
        tx.commit();
    } catch (const SQLite::Exception& e) {
        throw vault_error(path_, e.what());
    } catch (const Error& e) {
        if (e.kind() == "vault_error") throw;
        throw Error("vault_error", e.what());
    }
}

}  // namespace growth::secrets
