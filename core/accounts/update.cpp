#include "core/accounts/update.hpp"

#include <cctype>

#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include "core/accounts/names.hpp"
#include "core/error.hpp"
#include "core/secrets/secret_bytes.hpp"
#include "core/store/sqlite_error.hpp"

namespace growth::accounts {

namespace {

using publish::Platform;

[[noreturn]] void bad(const std::string& message) { throw Error("bad_input", message); }

std::optional<std::string> string_param(const Json& params, const char* key) {
    const auto it = params.find(key);
    if (it == params.end() || it->is_null()) return std::nullopt;
    if (!it->is_string()) bad(fmt::format("{} must be a string", key));
    return it->get<std::string>();
}

std::string setting(const Account& a, const char* key) {
    const auto it = a.settings.find(key);
    return it != a.settings.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool same_ignoring_case(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) {
            return false;
        }
    }
    return true;
}

// Quoted for a message, at most 64 bytes: what a platform names is not trusted to be short.
std::string shown(std::string_view s) {
    return std::string(s.substr(0, 64)) + (s.size() > 64 ? "..." : "");
}

}  // namespace

SecretUpdate::~SecretUpdate() {
    secrets::wipe(token.data(), token.size());
    secrets::wipe(app_password.data(), app_password.size());
}

SecretUpdate parse_secret_update(Store& store, const Json& params) {
    const std::string name = string_param(params, "name").value_or("");
    SecretUpdate u;
    u.account = get(store, name);
    const std::string_view pname = publish::platform_name(u.account.platform);
    const auto token = string_param(params, "token");
    const auto app_password = string_param(params, "app_password");
    if (token && app_password) bad("give the new token or the new app password, not both");
    if (u.account.platform == Platform::bluesky) {
        if (token) {
            bad(fmt::format("account {} is a bluesky account, which logs in with an app password: "
                            "use --app-password-file FILE, not a token",
                            name));
        }
        if (!app_password) bad(fmt::format("account {} needs its new app password: --app-password-file FILE", name));
        check_secret(*app_password, "app password", "--app-password-file");
        u.app_password = *app_password;
    } else {
        if (app_password) {
            bad(fmt::format("--app-password-file applies only to bluesky accounts; account {} is a "
                            "{} account: use --token-file FILE or --token-stdin",
                            name, pname));
        }
        if (!token) bad(fmt::format("account {} needs its new token: --token-file FILE or --token-stdin", name));
        check_secret(*token, "token", "--token-file/--token-stdin");
        u.token = *token;
    }
    return u;
}

publish::Account publisher_account(const SecretUpdate& update) {
    publish::Account p = publisher_settings(update.account);
    p.access_token = update.token;
    p.app_password = update.app_password;
    return p;
}

namespace {

// The account names its user (X username, LinkedIn person author, Bluesky handle): the
// who-am-I answer must be that user. `whose` starts the message ("the new token of account a").
void check_identity_of(const Account& a, const publish::Identity& identity, const std::string& whose,
                       std::string_view tail) {
    const auto refuse = [&](std::string_view what, std::string_view got, std::string_view want) {
        bad(fmt::format("{} belongs to {} {}, not {} (the account's); {}", whose, what, shown(got), want, tail));
    };
    switch (a.platform) {
    case Platform::x: {
        const std::string want = setting(a, "username");
        if (!want.empty() && !same_ignoring_case(identity.username, want)) {
            refuse("X user", "@" + identity.username, "@" + want);
        }
        break;
    }
    case Platform::linkedin: {
        const std::string author = setting(a, "author");
        const std::string prefix = "urn:li:person:";
        if (author.rfind(prefix, 0) == 0 && identity.id != author.substr(prefix.size())) {
            refuse("LinkedIn member", prefix + identity.id, author);
        }
        break;
    }
    case Platform::bluesky: {
        const std::string want = setting(a, "handle");
        if (!want.empty() && !same_ignoring_case(identity.username, want)) {
            refuse("Bluesky account", identity.username, want);
        }
        break;
    }
    default:
        // Facebook, Instagram and Threads ask the account's own node, so the answer is that
        // node or an error; a Mastodon account stores no identity to compare.
        break;
    }
}

}  // namespace

void check_identity(const SecretUpdate& update, const publish::Identity& identity) {
    const Account& a = update.account;
    check_identity_of(a, identity,
                      fmt::format("the new {} of account {}", a.platform == Platform::bluesky ? "app password" : "token",
                                  a.name),
                      "nothing was changed");
}

void check_identity(const NewAccount& account, const publish::Identity& identity) {
    Account a;
    a.name = account.name;
    a.platform = account.platform;
    a.settings = account.settings;
    check_identity_of(a, identity,
                      fmt::format("the {} given for account {}",
                                  a.platform == Platform::bluesky ? "app password" : "token", a.name),
                      "nothing was stored");
}

Account update_secret(Store& store, secrets::SecretStore& secrets, const SecretUpdate& update,
                      const std::optional<publish::BlueskySession>& session, std::int64_t now_ms) {
    const Account& a = update.account;
    try {
        WriteTransaction tx(store);
        // The who-am-I took a while: the account may have been removed (a secret for it would
        // be an orphan), or removed and added again under the same name (SQLite may even reuse
        // the id) for another user or server. Only the account as it was checked gets it.
        SQLite::Statement touch(store.db(),
                                "UPDATE accounts SET updated_at = ? WHERE id = ? AND name = ? AND platform = ? "
                                "AND api_base IS ? AND settings = ?");
        touch.bind(1, static_cast<std::int64_t>(now_ms));
        touch.bind(2, static_cast<std::int64_t>(a.id));
        touch.bind(3, a.name);
        touch.bind(4, std::string(publish::platform_name(a.platform)));
        if (a.api_base.empty()) {
            touch.bind(5);
        } else {
            touch.bind(5, a.api_base);
        }
        touch.bind(6, a.settings.dump());
        if (touch.exec() != 1) {
            throw Error("account_not_found", fmt::format("account {} was removed (or replaced) while its new "
                                                         "secret was being checked; nothing was stored",
                                                         a.name));
        }
        if (a.platform == Platform::bluesky) {
            secrets.put(a.name, field_app_password, update.app_password);
            if (session) save_session(secrets, a, *session);
        } else {
            secrets.put(a.name, field_access_token, update.token);
            // A token given by hand: a refresh token or expiry from an earlier login is stale.
            if (auto r = secrets.get(a.name, field_refresh_token); r && !r->empty()) {
                secrets::wipe(r->data(), r->size());
                secrets.put(a.name, field_refresh_token, "");
            }
            for (std::string_view field : {field_token_expires_at, field_token_refresh_at}) {
                if (auto e = secrets.get(a.name, field); e && !e->empty()) secrets.put(a.name, field, "");
            }
        }
        tx.commit();
    } catch (const SQLite::Exception& e) {
        throw store_error_from(e, store.path().string());
    }
    return a;
}

}  // namespace growth::accounts
