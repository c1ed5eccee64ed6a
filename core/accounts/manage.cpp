#include "core/accounts/manage.hpp"

#include <array>
#include <utility>

#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include "core/accounts/names.hpp"
#include "core/error.hpp"
#include "core/did_you_mean.hpp"
#include "core/secrets/secret_bytes.hpp"
#include "core/store/sqlite_error.hpp"

namespace growth::accounts {

namespace {

using publish::Platform;

constexpr std::array<std::string_view, 7> platform_names = {
    "x", "linkedin", "facebook", "instagram", "threads", "mastodon", "bluesky"};

// A platform-specific parameter: its CLI spelling (for messages) and the platform it belongs to.
struct Setting {
    std::string_view param;
    std::string_view flag;
    Platform platform;
};

constexpr std::array<Setting, 8> platform_settings = {{
    {"username", "--username", Platform::x},
    {"author", "--author", Platform::linkedin},
    {"page_id", "--page-id", Platform::facebook},
    {"ig_user_id", "--ig-user-id", Platform::instagram},
    {"user_id", "--user-id", Platform::threads},
    {"instance", "--instance", Platform::mastodon},
    {"max_characters", "--max-characters", Platform::mastodon},
    {"handle", "--handle", Platform::bluesky},
}};

[[noreturn]] void bad(const std::string& message) { throw Error("bad_input", message); }

std::optional<std::string> string_param(const Json& params, const char* key) {
    const auto it = params.find(key);
    if (it == params.end() || it->is_null()) return std::nullopt;
    if (!it->is_string()) bad(fmt::format("{} must be a string", key));
    return it->get<std::string>();
}

bool has_control_or_space(std::string_view s) {
    for (const char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u == 0x7f) return true;
    }
    return false;
}

// An http(s) base URL without a trailing '/'; `flag` names the option in messages.
std::string base_url(std::string value, std::string_view flag) {
    const std::string shown = value.size() > 100 ? value.substr(0, 100) + "..." : value;
    if (has_control_or_space(value)) bad(fmt::format("{} '{}' contains spaces or control characters", flag, shown));
    const bool https = value.rfind("https://", 0) == 0;
    const bool http = value.rfind("http://", 0) == 0;
    if (!https && !http) bad(fmt::format("{} '{}' must be an http:// or https:// URL", flag, shown));
    const std::string rest = value.substr(https ? 8 : 7);
    if (rest.empty() || rest.front() == '/') bad(fmt::format("{} '{}' has no host", flag, shown));
    if (rest.find_first_of("?#") != std::string::npos) {
        bad(fmt::format("{} '{}' must not have a query or fragment", flag, shown));
    }
    while (!value.empty() && value.back() == '/') value.pop_back();
    return value;
}

bool digits(std::string_view s) {
    if (s.empty() || s.size() > 32) return false;
    for (const char c : s) {
        if (c < '0' || c > '9') return false;
    }
    return true;
}

bool linkedin_urn(std::string_view s) {
    for (std::string_view prefix : {"urn:li:person:", "urn:li:organization:"}) {
        if (s.rfind(prefix, 0) != 0) continue;
        const std::string_view id = s.substr(prefix.size());
        if (id.empty() || id.size() > 64) return false;
        for (const char c : id) {
            const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                            c == '_' || c == '-';
            if (!ok) return false;
        }
        return true;
    }
    return false;
}

// A bare Mastodon instance host ("mastodon.social") means https.
std::string instance_url(std::string value) {
    if (value.find("://") == std::string::npos) value = "https://" + value;
    return base_url(std::move(value), "--instance");
}

// A Bluesky handle: dot-separated labels of letters, digits and '-' (atproto handle syntax).
bool bluesky_handle(std::string_view s) {
    if (s.size() < 3 || s.size() > 253 || s.find('.') == std::string_view::npos) return false;
    std::size_t label = 0;
    for (const char c : s) {
        if (c == '.') {
            if (label == 0) return false;
            label = 0;
            continue;
        }
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
        if (!ok || ++label > 63) return false;
    }
    return label > 0;
}

Platform parse_platform_param(const Json& params) {
    const std::string name = string_param(params, "platform").value_or("");
    if (auto p = publish::parse_platform(name)) return *p;
    std::vector<std::string> candidates(platform_names.begin(), platform_names.end());
    std::string message = fmt::format("unknown platform '{}'", name.size() > 40 ? name.substr(0, 40) + "..." : name);
    if (auto s = did_you_mean(name, candidates)) message += fmt::format("; did you mean '{}'?", *s);
    message += " (platforms: x, linkedin, facebook, instagram, threads, mastodon, bluesky)";
    bad(message);
}

}  // namespace

NewAccount::~NewAccount() {
    secrets::wipe(token.data(), token.size());
    secrets::wipe(app_password.data(), app_password.size());
}

NewAccount parse_new_account(const Json& params, bool allow_discovery) {
    NewAccount a;
    a.platform = parse_platform_param(params);
    const std::string_view pname = publish::platform_name(a.platform);
    a.name = string_param(params, "name").value_or("");
    validate_name(a.name);
    if (auto p = publish::parse_platform(a.name); p && *p != a.platform) {
        bad(fmt::format("account name '{}' is a platform name; a {} account cannot have it "
                        "(--to {} means the {} account)",
                        a.name, pname, a.name, a.name));
    }

    // Settings that belong to another platform are refused, not ignored.
    for (const Setting& s : platform_settings) {
        const auto it = params.find(s.param);
        if (it != params.end() && !it->is_null() && s.platform != a.platform) {
            bad(fmt::format("{} applies only to {} accounts, not {}", s.flag,
                            publish::platform_name(s.platform), pname));
        }
    }

    if (auto v = string_param(params, "api_base")) a.api_base = base_url(*v, "--api-base");
    if (auto v = string_param(params, "web_base")) {
        a.settings["web_base"] = base_url(*v, "--web-base");
    }

    // Secrets: Bluesky logs in with an app password; everyone else takes a token.
    const auto token = string_param(params, "token");
    const auto app_password = string_param(params, "app_password");
    if (a.platform == Platform::bluesky) {
        if (token) bad("bluesky accounts use an app password (--app-password-file), not a token");
        if (!app_password) bad("a bluesky account needs --app-password-file FILE");
        check_secret(*app_password, "app password", "--app-password-file");
        a.app_password = *app_password;
    } else {
        if (app_password) bad(fmt::format("--app-password-file applies only to bluesky accounts, not {}", pname));
        if (!token) bad(fmt::format("a {} account needs a token: --token-file FILE or --token-stdin", pname));
        check_secret(*token, "token", "--token-file/--token-stdin");
        a.token = *token;
    }

    switch (a.platform) {
    case Platform::x:
        if (auto v = string_param(params, "username")) {
            std::string u = v->size() > 1 && v->front() == '@' ? v->substr(1) : *v;
            const bool ok = !u.empty() && u.size() <= 15 &&
                            u.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") ==
                                std::string::npos;
            if (!ok) bad(fmt::format("--username '{}' is not an X username (1-15 letters, digits, '_')", *v));
            a.settings["username"] = u;
        }
        break;
    case Platform::linkedin: {
        const auto v = string_param(params, "author");
        if (!v && allow_discovery) {
            a.discover_author = true;
            break;
        }
        if (!v) bad("a linkedin account needs --author urn:li:person:ID or urn:li:organization:ID");
        if (!linkedin_urn(*v)) {
            bad(fmt::format("--author '{}' must be urn:li:person:ID or urn:li:organization:ID", *v));
        }
        a.settings["author"] = *v;
        break;
    }
    case Platform::facebook: {
        const auto v = string_param(params, "page_id");
        if (!v) bad("a facebook account needs --page-id ID (the Page's numeric id)");
        if (!digits(*v)) bad(fmt::format("--page-id '{}' must be the Page's numeric id", *v));
        a.settings["page_id"] = *v;
        break;
    }
    case Platform::instagram: {
        const auto v = string_param(params, "ig_user_id");
        if (!v) bad("an instagram account needs --ig-user-id ID (the business account's numeric id)");
        if (!digits(*v)) bad(fmt::format("--ig-user-id '{}' must be a numeric id", *v));
        a.settings["ig_user_id"] = *v;
        break;
    }
    case Platform::threads:
        if (auto v = string_param(params, "user_id")) {
            if (!digits(*v) && *v != "me") bad(fmt::format("--user-id '{}' must be a numeric id or 'me'", *v));
            a.settings["user_id"] = *v;
        }
        break;
    case Platform::mastodon: {
        const auto instance = string_param(params, "instance");
        if (instance && !a.api_base.empty()) bad("give --instance or --api-base, not both");
        if (instance) a.api_base = instance_url(*instance);
        if (a.api_base.empty()) bad("a mastodon account needs --instance URL (e.g. https://mastodon.social)");
        const auto it = params.find("max_characters");
        if (it != params.end() && !it->is_null()) {
            if (!it->is_number_integer() || it->get<long long>() < 1 || it->get<long long>() > 1000000) {
                bad("--max-characters must be a whole number from 1 to 1000000");
            }
            a.settings["max_characters"] = it->get<long long>();
        }
        break;
    }
    case Platform::bluesky: {
        const auto handle = string_param(params, "handle");
        if (!handle) bad("a bluesky account needs --handle HANDLE (e.g. alice.bsky.social)");
        std::string h = handle->size() > 1 && handle->front() == '@' ? handle->substr(1) : *handle;
        if (!bluesky_handle(h)) bad(fmt::format("--handle '{}' is not a Bluesky handle (e.g. alice.bsky.social)", *handle));
        a.settings["handle"] = h;
        if (auto service = string_param(params, "service")) {
            if (!a.api_base.empty()) bad("give --service or --api-base, not both");
            a.api_base = base_url(*service, "--service");
        }
        break;
    }
    }
    return a;
}

publish::Account publisher_account(const NewAccount& account) {
    // Its settings too: Instagram asks its IG user, Bluesky logs in with its handle and PDS.
    Account a;
    a.name = account.name;
    a.platform = account.platform;
    a.api_base = account.api_base;
    a.settings = account.settings;
    publish::Account p = publisher_settings(a);
    p.access_token = account.token;
    p.app_password = account.app_password;
    return p;
}

void with_identity(NewAccount& account, const publish::Identity& identity) {
    if (!account.discover_author) return;
    const std::string urn = "urn:li:person:" + identity.id;
    if (!linkedin_urn(urn)) {
        bad(fmt::format("LinkedIn named the member '{}', which makes no author URN; pass --author",
                        identity.id.substr(0, 64)));
    }
    account.settings["author"] = urn;
    account.discover_author = false;
}

void with_username(NewAccount& account, const publish::Identity& identity) {
    if (account.platform != Platform::x || account.settings.contains("username")) return;
    const std::string& u = identity.username;
    const bool ok = !u.empty() && u.size() <= 15 &&
                    u.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") ==
                        std::string::npos;
    if (!ok) bad("X did not name the account's username (1-15 letters, digits, '_'); pass --username");
    account.settings["username"] = u;
}

bool exists(Store& store, std::string_view name) {
    try {
        SQLite::Statement q(store.db(), "SELECT 1 FROM accounts WHERE name = ?");
        q.bind(1, std::string(name));
        return q.executeStep();
    } catch (const SQLite::Exception& e) {
        throw store_error_from(e, store.path().string());
    }
}

void check_name_free(Store& store, std::string_view name) {
    try {
        SQLite::Statement exists(store.db(), "SELECT platform FROM accounts WHERE name = ?");
        exists.bind(1, std::string(name));
        if (exists.executeStep()) {
            throw Error("account_exists", fmt::format("an account named '{}' exists already ({}); "
                                                      "remove it first or choose another name",
                                                      name, exists.getColumn(0).getString()));
        }
    } catch (const SQLite::Exception& e) {
        throw store_error_from(e, store.path().string());
    }
}

Account add(Store& store, secrets::SecretStore& secrets, const NewAccount& account,
            std::int64_t now_ms) {
    if (account.discover_author) {
        throw Error("bad_input", "a linkedin account needs --author urn:li:person:ID or urn:li:organization:ID");
    }
    const std::string label = store.path().string();
    Account out;
    try {
        WriteTransaction tx(store);
        check_name_free(store, account.name);
        SQLite::Statement ins(store.db(),
                              "INSERT INTO accounts (name, platform, api_base, settings, "
                              "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)");
        ins.bind(1, account.name);
        ins.bind(2, std::string(publish::platform_name(account.platform)));
        if (account.api_base.empty()) {
            ins.bind(3);
        } else {
            ins.bind(3, account.api_base);
        }
        ins.bind(4, account.settings.dump());
        ins.bind(5, static_cast<std::int64_t>(now_ms));
        ins.bind(6, static_cast<std::int64_t>(now_ms));
        ins.exec();
        out.id = store.db().getLastInsertRowid();
        // Secrets go in while the row is still uncommitted: if the vault fails, the row rolls
        // back. Fields left by an earlier account of the same name go first.
        secrets.erase_account(account.name);
        if (account.platform == Platform::bluesky) {
            secrets.put(account.name, field_app_password, account.app_password);
        } else {
            secrets.put(account.name, field_access_token, account.token);
        }
        try {
            tx.commit();
        } catch (...) {
            try {
                secrets.erase_account(account.name);
            } catch (...) {
                // The row is gone either way; orphaned secrets are erased on the next add.
            }
            throw;
        }
    } catch (const SQLite::Exception& e) {
        throw store_error_from(e, label);
    }
    out.name = account.name;
    out.platform = account.platform;
    out.api_base = account.api_base;
    out.settings = account.settings;
    return out;
}

Account remove(Store& store, secrets::SecretStore& secrets, std::string_view name) {
    Account account = get(store, name);
    try {
        // Vault first, while the row's deletion is still uncommitted: a vault failure rolls the
        // row back (nothing changed), and a crash after the secrets are gone but before the
        // commit leaves the row without secrets (it needs a new login, or a second remove),
        // never a sealed secret without its account.
        WriteTransaction tx(store);
        SQLite::Statement del(store.db(), "DELETE FROM accounts WHERE id = ?");
        del.bind(1, static_cast<std::int64_t>(account.id));
        del.exec();
        secrets.erase_account(account.name);
        tx.commit();
    } catch (const SQLite::Exception& e) {
        throw store_error_from(e, store.path().string());
    }
    return account;
}

std::vector<std::string> secret_fields(const Account& account, secrets::SecretStore& secrets) {
    std::vector<std::string> out;
    for (std::string_view field : {field_access_token, field_app_password, field_session, field_refresh_token}) {
        if (auto v = secrets.get(account.name, field); v && !v->empty()) {
            secrets::wipe(v->data(), v->size());
            out.emplace_back(field);
        }
    }
    return out;
}

Json to_json(const Account& account) {
    Json j = Json::object();
    j["name"] = account.name;
    j["platform"] = publish::platform_name(account.platform);
    j["api_base"] = account.api_base.empty() ? Json(nullptr) : Json(account.api_base);
    j["settings"] = account.settings;
    return j;
}

}  // namespace growth::accounts
