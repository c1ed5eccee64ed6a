#include "daemon/login_methods.hpp"

#include <chrono>
#include <optional>
#include <utility>

#include <fmt/format.h>

#include "core/accounts/manage.hpp"
#include "core/accounts/names.hpp"
#include "core/error.hpp"
#include "core/oauth/callback.hpp"
#include "core/oauth/mastodon_app.hpp"
#include "core/oauth/meta_login.hpp"
#include "core/oauth/pkce.hpp"
#include "core/oauth/token.hpp"
#include "core/secrets/secret_bytes.hpp"
#include "daemon/callback_listener.hpp"
#include "daemon/publish_timer.hpp"

namespace growth::daemon {

using rpc::Json;
using rpc::ParamSpec;
using rpc::ParamType;

struct Logins::Pending {
    std::string id;
    Platform platform = Platform::x;
    std::string name;
    Json params;  ///< account.add's, without the secret
    oauth::App app;
    oauth::Pkce pkce;
    std::string state;
    std::string redirect_uri;
    int port = 0;  ///< as configured (0: ephemeral), for replacing an older login on it
    std::int64_t expires_at_ms = 0;
    std::unique_ptr<CallbackListener> listener;  ///< null: --paste, or the callback came
    std::unique_ptr<OneShotTimer> timer;
    std::optional<oauth::Callback> callback;     ///< the answer, once it came
    std::optional<rpc::Responder> waiter;        ///< the account.login.finish waiting
    std::exception_ptr failed;                   ///< why it ended before anyone waited
    bool exchanging = false;
    // Meta (core/oauth/meta_login.hpp): the Page asked for, the Page or Instagram account an
    // existing account has, the user token and the Pages while the person chooses.
    std::string page;
    std::string own_page;
    std::shared_ptr<oauth::TokenSet> user_tokens;
    std::vector<oauth::Page> pages;
    bool choosing = false;

    ~Pending() {
        secrets::wipe(pkce.verifier.data(), pkce.verifier.size());
        secrets::wipe(app.client_secret.data(), app.client_secret.size());
        if (callback) secrets::wipe(callback->code.data(), callback->code.size());
    }
};

namespace {

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

ParamSpec text(const char* name, const char* summary, bool required = false) {
    return ParamSpec{name, ParamType::string, required, summary};
}

// The account.add settings a login passes on (the secret comes from the platform).
constexpr const char* setting_names[] = {"api_base", "web_base", "username", "author", "instance"};

std::exception_ptr refused(const std::string& message) {
    return std::make_exception_ptr(Error("login_refused", message + "; nothing was stored, log in again"));
}

}  // namespace

Logins::Logins(EventLoop& loop, AccountServices& accounts, std::function<const Config&()> config)
    : loop_(loop), accounts_(accounts), config_(std::move(config)) {}

Logins::~Logins() = default;

namespace {

// An instance's registered client, kept in the vault by client_vault_key.
constexpr std::string_view client_fields[] = {"client_id", "client_secret", "redirect_uri", "scopes"};

std::optional<oauth::RegisteredClient> cached_client(secrets::SecretStore& vault, const std::string& instance) {
    const std::string key = oauth::client_vault_key(instance);
    std::optional<std::string> v[4];
    for (int i = 0; i < 4; ++i) {
        v[i] = vault.get(key, client_fields[i]);
        if (!v[i] || v[i]->empty()) return std::nullopt;
    }
    oauth::RegisteredClient c;
    c.client_id = std::move(*v[0]);
    c.client_secret = std::move(*v[1]);
    c.redirect_uri = std::move(*v[2]);
    c.scopes = std::move(*v[3]);
    return c;
}

void keep_client(secrets::SecretStore& vault, const std::string& instance, const oauth::RegisteredClient& c) {
    const std::string key = oauth::client_vault_key(instance);
    vault.put(key, client_fields[0], c.client_id);
    vault.put(key, client_fields[1], c.client_secret);
    vault.put(key, client_fields[2], c.redirect_uri);
    vault.put(key, client_fields[3], c.scopes);
}

}  // namespace

void Logins::start(const Json& params, rpc::Responder reply) {
    const std::string platform_text = params["platform"].get<std::string>();
    const auto platform = parse_platform(platform_text);
    const std::string name = params.contains("name") ? params["name"].get<std::string>() : platform_text;
    // The account as account.add will see it: checked now, so a typo costs no browser trip.
    Json account = Json::object();
    account["platform"] = platform_text;
    account["name"] = name;
    for (const char* key : setting_names) {
        if (params.contains(key)) account[key] = params[key];
    }
    const auto check_new = [&account] {
        Json check = account;
        check["token"] = "login-pending";  // only for the checks: the real one comes later
        if (account["platform"] == "facebook") check["page_id"] = "1";       // chosen after the login
        if (account["platform"] == "instagram") check["ig_user_id"] = "1";  // the chosen Page's
        return accounts::parse_new_account(check, true);
    };
    if (!platform) {
        (void)check_new();  // names the platform it could be
        throw Error("bad_input", fmt::format("unknown platform '{}'", platform_text));
    }
    const Config& config = config_();
    const auto found = config.apps.find(*platform);
    const oauth::ConfiguredApp configured = found == config.apps.end() ? oauth::ConfiguredApp{} : found->second;
    const bool mastodon = *platform == Platform::mastodon;
    oauth::App app;
    if (!mastodon) app = oauth::resolve_app(*platform, configured);
    const bool exists = accounts::exists(accounts_.store, name);
    const std::string page = params.value("page", "");
    if (params.contains("page") && !oauth::chooses_page(*platform)) {
        throw Error("bad_input", fmt::format("--page applies only to facebook and instagram logins, not {}", platform_text));
    }
    std::string instance, own_page;
    if (exists) {
        const auto stored = accounts::get(accounts_.store, name);
        if (stored.platform != *platform) {
            throw Error("account_exists", fmt::format("account {} is a {} account, not {}; log in with "
                                                      "--name OTHER, or remove it first",
                                                      name, platform_name(stored.platform), platform_text));
        }
        for (const char* key : setting_names) {
            if (params.contains(key)) {
                throw Error("bad_input", fmt::format("account {} exists: logging in again replaces its token and "
                                                     "keeps its settings; drop --{}",
                                                     name, key == std::string("api_base") ? "api-base"
                                                           : key == std::string("web_base") ? "web-base" : key));
            }
        }
        instance = stored.api_base;
        own_page = stored.settings.value(*platform == Platform::instagram ? "ig_user_id" : "page_id", "");
    } else {
        // [platforms.NAME] api_base: where new accounts of the platform talk to (a proxy, a test server).
        if (!account.contains("api_base") && !configured.api_base.empty()) account["api_base"] = configured.api_base;
        instance = check_new().api_base;
    }
    const bool paste = params.value("paste", false);
    const int wanted_port = mastodon ? configured.redirect_port.value_or(oauth::default_redirect_port) : app.redirect_port;

    // A newer login for the same account or port replaces an unfinished one (a person who
    // pressed Ctrl-C and tries again must not find the port taken).
    std::vector<std::string> replaced;
    for (const auto& [id, p] : pending_) {
        if (p->name == name || (!paste && p->listener && wanted_port != 0 && p->port == wanted_port)) {
            replaced.push_back(id);
        }
    }
    for (const auto& id : replaced) {
        end(id, std::make_exception_ptr(Error("login_canceled", "a newer login replaced this one")));
    }
    if (pending_.size() >= max_pending) {
        throw Error("too_many_requests", fmt::format("{} logins are in progress already; finish or cancel one "
                                                     "(they end by themselves after {} minutes)",
                                                     pending_.size(), ttl.count()));
    }

    auto p = std::make_shared<Pending>();
    p->id = oauth::make_state().substr(0, 16);
    p->platform = *platform;
    p->name = name;
    p->params = std::move(account);
    p->app = std::move(app);
    p->pkce = oauth::make_pkce();
    p->state = oauth::make_state();
    p->expires_at_ms = now_ms() + std::chrono::duration_cast<std::chrono::milliseconds>(ttl).count();
    p->port = wanted_port;
    p->page = page;
    p->own_page = own_page;
    int port = wanted_port;
    if (!paste) {
        p->listener = listen(p->id, port);
        port = p->listener->port();
    } else if (port == 0) {
        port = oauth::default_redirect_port;
    }
    p->redirect_uri = oauth::redirect_uri(port);
    p->timer = std::make_unique<OneShotTimer>(loop_, ttl, [this, id = p->id] {
        end(id, std::make_exception_ptr(Error(
                    "login_expired", fmt::format("the login was not answered within {} minutes; nothing was "
                                                 "stored, start it again",
                                                 ttl.count()))));
    });
    const auto started = [paste, exists](const Pending& login) {
        Json out = Json::object();
        out["login_id"] = login.id;
        out["platform"] = platform_name(login.platform);
        out["name"] = login.name;
        out["authorize_url"] = oauth::authorize_url(login.app, login.redirect_uri, login.state, login.pkce.challenge);
        out["redirect_uri"] = login.redirect_uri;
        out["listening"] = !paste;
        out["replaces"] = exists;
        out["expires_at"] = login.expires_at_ms;
        return out;
    };
    const std::string id = p->id;
    pending_.emplace(id, p);
    if (!mastodon) return reply.result(started(*p));

    // Mastodon: the instance's own app, registered at the first login there (for this redirect
    // URL and these scopes) and kept in the vault; an ephemeral port registers one per login.
    const std::string scopes = configured.scopes.empty() ? std::string(oauth::mastodon_default_scopes) : configured.scopes;
    if (auto client = cached_client(accounts_.secrets, instance);
        client && client->redirect_uri == p->redirect_uri && client->scopes == scopes) {
        p->app = oauth::mastodon_app(instance, *client);
        return reply.result(started(*p));
    }
    accounts_.transport.send(
        oauth::registration_request(instance, p->redirect_uri, scopes),
        [this, id, instance, scopes, reply, started, keep = wanted_port != 0](http::Outcome outcome) {
            auto it = pending_.find(id);
            if (it == pending_.end()) {
                return reply.error(std::make_exception_ptr(Error("login_canceled", "the login was canceled")));
            }
            Pending& login = *it->second;
            try {
                const oauth::RegisteredClient client =
                    oauth::parse_registration(outcome, instance, login.redirect_uri, scopes);
                if (keep) keep_client(accounts_.secrets, instance, client);
                login.app = oauth::mastodon_app(instance, client);
                reply.result(started(login));
            } catch (...) {
                end(id, nullptr);
                reply.error(std::current_exception());
            }
        });
}

std::unique_ptr<CallbackListener> Logins::listen(const std::string& login_id, int port) {
    return std::make_unique<CallbackListener>(
        loop_, port, [this, id = login_id](std::string_view query) -> CallbackListener::Page {
            auto it = pending_.find(id);
            if (it == pending_.end() || it->second->callback || it->second->failed) {
                return {410, "This login is over. Start it again with growthctl account login."};
            }
            Pending& login = *it->second;
            // One callback per login: whatever it says, the listener closes after it.
            loop_.defer([keep = std::shared_ptr<CallbackListener>(std::move(login.listener))] {});
            try {
                oauth::Callback cb = oauth::parse_callback_query(query);
                if (!cb.error.empty()) {
                    const std::string why = fmt::format("{} refused the login: {}{}{}", platform_title(login.platform),
                                                        cb.error, cb.error_description.empty() ? "" : ": ",
                                                        cb.error_description.substr(0, 300));
                    end(id, refused(why));
                    return {200, why + ". Nothing was stored; you can close this tab."};
                }
                if (!oauth::same_state(login.state, cb.state)) {
                    end(id, refused("the login callback's state is not the one growth sent: it does "
                                    "not answer this login"));
                    return {400, "This answer does not belong to the login growth started. Nothing was stored."};
                }
                login.callback = std::move(cb);
                if (login.waiter) exchange(id);
                return {200, "growth has the answer. You can close this tab and return to the terminal."};
            } catch (const Error& e) {
                end(id, std::current_exception());
                return {400, std::string(e.what()) + ". Nothing was stored."};
            }
        });
}

void Logins::finish(const Json& params, rpc::Responder reply) {
    const std::string id = params["login_id"].get<std::string>();
    auto it = pending_.find(id);
    if (it == pending_.end()) {
        throw Error("login_not_found", fmt::format("no login {} is in progress (it finished, was canceled, or "
                                                   "expired after {} minutes); start again with growthctl "
                                                   "account login",
                                                   id, ttl.count()));
    }
    Pending& p = *it->second;
    if (p.failed) {
        const auto why = p.failed;
        end(id, nullptr);
        std::rethrow_exception(why);
    }
    if ((p.waiter && !p.waiter->abandoned()) || p.exchanging) {
        throw Error("bad_input", fmt::format("login {} is being finished by another growthctl already", id));
    }
    if (params.contains("page") && !oauth::chooses_page(p.platform)) {
        throw Error("bad_input", fmt::format("page applies only to facebook and instagram logins, not {}",
                                             platform_name(p.platform)));
    }
    if (p.choosing) {
        if (!params.contains("page")) {
            throw Error("page_required", fmt::format("login {} waits for the Page to use: pass page", id));
        }
        p.page = params["page"].get<std::string>();
        p.waiter = std::move(reply);
        p.exchanging = true;
        return pick(id);
    }
    if (params.contains("page")) p.page = params["page"].get<std::string>();
    if (params.contains("redirect_url")) {
        if (p.callback) throw Error("bad_input", "the browser answered this login already; drop the pasted address");
        oauth::Callback cb = oauth::parse_pasted(params["redirect_url"].get<std::string>());
        if (!cb.error.empty()) {
            end(id, nullptr);
            throw Error("login_refused", fmt::format("{} refused the login: {}{}{}; nothing was stored",
                                                     platform_title(p.platform), cb.error,
                                                     cb.error_description.empty() ? "" : ": ",
                                                     cb.error_description.substr(0, 300)));
        }
        // A bare code carries no state: the person copied it from the page growth sent them to.
        if (!cb.state.empty() && !oauth::same_state(p.state, cb.state)) {
            throw Error("bad_input", "the pasted address does not answer this login (its state differs); paste "
                                     "the address the browser was sent to after this login's URL");
        }
        if (p.listener) loop_.defer([keep = std::shared_ptr<CallbackListener>(std::move(p.listener))] {});
        p.callback = std::move(cb);
    }
    p.waiter = std::move(reply);
    if (p.callback) exchange(id);
}

void Logins::exchange(const std::string& id) {
    Pending& p = *pending_.at(id);
    p.exchanging = true;
    http::HttpRequest request =
        oauth::code_exchange_request(p.app, p.callback->code, p.pkce.verifier, p.redirect_uri);
    accounts_.transport.send(std::move(request), [this, id](http::Outcome outcome) {
        auto it = pending_.find(id);
        if (it == pending_.end()) return;  // canceled meanwhile; the code is spent, nothing is kept
        Pending& login = *it->second;
        try {
            auto tokens = std::make_shared<oauth::TokenSet>(oauth::parse_token_outcome(outcome, login.platform));
            if (!oauth::exchanges_for_long_lived(login.platform)) return complete(id, std::move(tokens));
            // Meta: the code gave a token of an hour or two; the account keeps a long-lived one.
            // (A new Threads account learns its user id here; a login again keeps the account's.)
            if (login.platform == Platform::threads && !tokens->user_id.empty()) {
                login.params["user_id"] = tokens->user_id;
            }
            accounts_.transport.send(oauth::long_lived_request(login.app, tokens->access_token),
                                     [this, id](http::Outcome long_lived) { exchanged(id, std::move(long_lived)); });
        } catch (...) {
            fail(id, std::current_exception());
        }
    });
}

void Logins::exchanged(const std::string& id, http::Outcome outcome) {
    auto it = pending_.find(id);
    if (it == pending_.end()) return;
    Pending& login = *it->second;
    try {
        auto tokens = std::make_shared<oauth::TokenSet>(oauth::parse_token_outcome(outcome, login.platform));
        if (!oauth::chooses_page(login.platform)) return complete(id, std::move(tokens));
        http::HttpRequest listing = oauth::pages_request(login.app, tokens->access_token);
        login.user_tokens = std::move(tokens);
        accounts_.transport.send(std::move(listing), [this, id](http::Outcome pages) {
            auto found = pending_.find(id);
            if (found == pending_.end()) return;
            try {
                found->second->pages = oauth::parse_pages(pages, found->second->platform);
                pick(id);
            } catch (...) {
                fail(id, std::current_exception());
            }
        });
    } catch (...) {
        fail(id, std::current_exception());
    }
}

void Logins::pick(const std::string& id) {
    Pending& p = *pending_.at(id);
    const oauth::Page* page = nullptr;
    try {
        page = &oauth::choose_page(p.pages, p.page.empty() ? p.own_page : p.page, p.platform);
    } catch (const Error& e) {
        if (e.kind() != "page_required") return fail(id, std::current_exception());
        // The person chooses: the login waits (within its ten minutes) for a finish with a page.
        p.exchanging = false;
        p.choosing = true;
        auto waiter = std::move(p.waiter);
        p.waiter.reset();
        waiter->error(std::current_exception());
        return;
    }
    const bool exists = accounts::exists(accounts_.store, p.name);
    if (p.platform == Platform::facebook) {
        // The Page's own token: derived from a long-lived user token, it does not expire.
        auto tokens = std::make_shared<oauth::TokenSet>();
        tokens->access_token = page->access_token;
        if (!exists) p.params["page_id"] = page->id;
        return complete(id, std::move(tokens));
    }
    // Instagram publishes with the person's long-lived user token (60 days).
    if (!exists) p.params["ig_user_id"] = page->ig_user_id;
    complete(id, std::move(p.user_tokens));
}

void Logins::complete(const std::string& id, std::shared_ptr<oauth::TokenSet> tokens) {
    auto it = pending_.find(id);
    if (it == pending_.end()) return;
    auto keep = it->second;
    pending_.erase(it);
    loop_.defer([keep] {});
    try {
        store_login(accounts_, keep->params, std::move(tokens), *keep->waiter);
    } catch (...) {
        keep->waiter->error(std::current_exception());
    }
}

void Logins::fail(const std::string& id, std::exception_ptr error) {
    auto it = pending_.find(id);
    if (it == pending_.end()) return;
    auto keep = it->second;
    pending_.erase(it);
    loop_.defer([keep] {});
    if (keep->waiter) keep->waiter->error(error);
}

void Logins::end(const std::string& id, std::exception_ptr error) {
    auto it = pending_.find(id);
    if (it == pending_.end()) return;
    auto keep = it->second;
    // Closed now, so a newer login can listen on the same port at once. Never called from
    // inside this listener's own callback: that one moves the listener out first.
    keep->listener.reset();
    if (error && !keep->waiter && !keep->exchanging) {
        keep->failed = error;  // told to the finish that comes (or dropped with the timer)
        return;
    }
    pending_.erase(it);
    loop_.defer([keep] {});
    if (error && keep->waiter) keep->waiter->error(error);
}

Json Logins::cancel(const Json& params) {
    const std::string id = params["login_id"].get<std::string>();
    const bool found = pending_.count(id) != 0;
    if (found) {
        auto keep = pending_.at(id);
        pending_.erase(id);
        keep->listener.reset();
        loop_.defer([keep] {});
        if (keep->waiter) {
            keep->waiter->error(std::make_exception_ptr(Error("login_canceled", "the login was canceled")));
        }
    }
    return Json{{"canceled", found}};
}

void Logins::add_methods(rpc::MethodTable& table) {
    table.add_deferred({"account.login.start",
               "Starts logging in to a platform with its OAuth flow: answers with the URL to open and "
               "listens on 127.0.0.1 for the browser's return (unless paste); on Mastodon it first "
               "registers growth's app on the instance (once). The login waits up to 10 minutes for "
               "account.login.finish. Facebook, Instagram and Threads exchange the code's short-lived "
               "token for a long-lived one; Facebook and Instagram then take one of the person's Pages.",
               {
                   text("platform", "x, linkedin, facebook, instagram, threads or mastodon", true),
                   text("name", "the account's name (default: the platform's); an existing account of "
                                "the platform gets new tokens in place"),
                   ParamSpec{"paste", ParamType::boolean, false,
                             "do not listen: the redirected address is pasted into account.login.finish"},
                   text("api_base", "new account: the platform API's base URL"),
                   text("web_base", "new account: the public web host used in post URLs"),
                   text("username", "new x account: the username (default: learnt from the platform)"),
                   text("author", "new linkedin account: the author URN (default: the member)"),
                   text("instance", "new mastodon account: the instance URL"),
                   text("page", "facebook, instagram: the Page (id, name or number in the list) whose "
                                "token (facebook) or Instagram account (instagram) the login takes"),
               },
               true},
              [this](const Json& params, const rpc::CallContext&, rpc::Responder reply) {
                  start(params, std::move(reply));
              });
    table.add_deferred({"account.login.finish",
                        "Waits for the login's callback (or takes the pasted address), exchanges the code "
                        "for tokens, checks them with the platform's who-am-I and stores the account. "
                        "Answers as account.show, with identity and replaced.",
                        {
                            text("login_id", "from account.login.start", true),
                            text("redirect_url", "the address the browser was sent to, or only the code"),
                            text("page", "facebook, instagram: the Page, when the login answered "
                                         "page_required (it then waits for this)"),
                        },
                        true},
                       [this](const Json& params, const rpc::CallContext&, rpc::Responder reply) {
                           finish(params, std::move(reply));
                       });
    table.add({"account.login.cancel", "Cancels a login in progress; its listener closes.",
               {text("login_id", "from account.login.start", true)}, false},
              [this](const Json& params) { return cancel(params); });
}

}  // namespace growth::daemon
