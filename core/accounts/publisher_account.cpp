// accounts::publisher_account and accounts::save_session: the bridge between stored accounts
// (row + vault) and the publishers' view of an account.

#include <fmt/format.h>

#include "core/accounts/accounts.hpp"
#include "core/accounts/names.hpp"
#include "core/error.hpp"
#include "core/json_parse.hpp"
#include "core/secrets/secret_bytes.hpp"

namespace growth::accounts {

namespace {

std::string setting(const Account& a, const char* key) {
    const auto it = a.settings.find(key);
    return it != a.settings.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string required_secret(const Account& a, secrets::SecretStore& secrets,
                            std::string_view field, std::string_view what) {
    auto v = secrets.get(a.name, field);
    if (!v || v->empty()) {
        throw Error("needs_auth", fmt::format("account {} has no {} stored; give it one with: {}", a.name, what,
                                              new_login_command(a.platform, a.name)));
    }
    return std::move(*v);
}

// The session as stored: {"access_jwt","refresh_jwt","did","handle"}. A value that does not
// parse counts as no session (the publisher then logs in with the app password).
publish::BlueskySession parse_session(const std::string& text) {
    publish::BlueskySession s;
    const Json j = parse_json_bounded(text).value_or(Json());
    if (!j.is_object()) return s;
    const auto str = [&](const char* k) {
        const auto it = j.find(k);
        return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    s.access_jwt = str("access_jwt");
    s.refresh_jwt = str("refresh_jwt");
    s.did = str("did");
    s.handle = str("handle");
    return s;
}

}  // namespace

publish::Account publisher_settings(const Account& account) {
    publish::Account p;
    p.platform = account.platform;
    p.api_base = account.api_base;
    p.web_base = setting(account, "web_base");
    switch (account.platform) {
    case publish::Platform::x:
        p.username = setting(account, "username");
        break;
    case publish::Platform::linkedin:
        p.user_id = setting(account, "author");
        break;
    case publish::Platform::facebook:
        p.user_id = setting(account, "page_id");
        break;
    case publish::Platform::instagram:
        p.user_id = setting(account, "ig_user_id");
        break;
    case publish::Platform::threads:
        p.user_id = setting(account, "user_id");
        if (p.user_id.empty()) p.user_id = "me";
        break;
    case publish::Platform::mastodon:
        break;
    case publish::Platform::bluesky:
        p.username = setting(account, "handle");
        break;
    }
    return p;
}

publish::Account publisher_account(const Account& account, secrets::SecretStore& secrets) {
    publish::Account p = publisher_settings(account);
    if (account.platform == publish::Platform::bluesky) {
        p.app_password = required_secret(account, secrets, field_app_password, "app password");
        if (auto s = secrets.get(account.name, field_session)) {
            p.session = parse_session(*s);
            secrets::wipe(s->data(), s->size());
        }
    } else {
        p.access_token = required_secret(account, secrets, field_access_token, "access token");
    }
    return p;
}

void save_session(secrets::SecretStore& secrets, const Account& account,
                  const publish::BlueskySession& session) {
    Json j = Json::object();
    j["access_jwt"] = session.access_jwt;
    j["refresh_jwt"] = session.refresh_jwt;
    j["did"] = session.did;
    j["handle"] = session.handle;
    std::string text = j.dump();
    // The JSON object holds copies of the tokens too; wipe what we can reach.
    for (auto& [k, v] : j.items()) {
        auto& s = v.get_ref<std::string&>();
        secrets::wipe(s.data(), s.size());
    }
    try {
        secrets.put(account.name, field_session, text);
    } catch (...) {
        secrets::wipe(text.data(), text.size());
        throw;
    }
    secrets::wipe(text.data(), text.size());
}

}  // namespace growth::accounts
