#include "daemon/account_methods.hpp"

#include <chrono>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <utility>
#include <variant>

#include <fmt/format.h>

#include "core/accounts/accounts.hpp"
#include "core/accounts/manage.hpp"
#include "core/accounts/update.hpp"
#include "core/accounts/names.hpp"
#include "core/accounts/tokens.hpp"
#include "core/error.hpp"
#include "core/publish/publisher.hpp"
#include "core/secrets/key_file.hpp"
#include "core/secrets/secret_bytes.hpp"
#include "core/secrets/vault.hpp"

namespace growth::daemon {

namespace {

using rpc::Json;
using rpc::ParamSpec;
using rpc::ParamType;

publish::Instant now() {
    return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

std::int64_t now_ms() { return now().time_since_epoch().count(); }

Json shown(const accounts::Account& account, secrets::SecretStore& secrets) {
    Json j = accounts::to_json(account);
    j["secrets"] = accounts::secret_fields(account, secrets);
    // When the token from `account login` expires (Unix ms), where one does.
    if (const auto state = accounts::token_state(secrets, account); state.expires_at) {
        j["token_expires_at"] = *state.expires_at;
    }
    return j;
}

ParamSpec text(const char* name, const char* summary, bool required = false) {
    return ParamSpec{name, ParamType::string, required, summary};
}

/// One who-am-I exchange (account.test, or discovering settings on account.add): drives the
/// machine through the transport and hands the identity on. Kept alive by the transport
/// callback it is waiting for; answers `reply` with any error.
class WhoAmIRun : public std::enable_shared_from_this<WhoAmIRun> {
public:
    using OnIdentity = std::function<void(const publish::Identity&)>;
    using OnSession = std::function<void(const publish::BlueskySession&)>;

    /// `context` starts failure messages ("account work-x"); `hint` ends needs-login ones
    /// ("; nothing was stored").
    WhoAmIRun(AccountServices& services, publish::Account view, std::string context, std::string hint,
              rpc::Responder reply, OnIdentity on_identity, OnSession on_session)
        : services_(services), view_(std::move(view)), context_(std::move(context)),
          hint_(std::move(hint)), reply_(std::move(reply)), on_identity_(std::move(on_identity)),
          on_session_(std::move(on_session)), machine_(publish::make_whoami(view_)) {}

    ~WhoAmIRun() {
        secrets::wipe(view_.access_token.data(), view_.access_token.size());
        secrets::wipe(view_.app_password.data(), view_.app_password.size());
    }

    void start() { step(machine_->start(now())); }

    /// account.test: its transfers count against the account's limit ([limits]
    /// max_transfers_per_account), and none starts once the client that asked has gone.
    std::shared_ptr<WhoAmIRun> limited_as(std::string account) {
        owner_.account = std::move(account);
        owner_.abandoned = [reply = reply_] { return reply.abandoned(); };
        return shared_from_this();
    }

private:
    void step(publish::WhoAmIStep s) {
        try {
            if (auto* send = std::get_if<publish::Send>(&s)) {
                // A Bluesky login or refresh rotates the session: keep it before it is used.
                if (send->checkpoint.session && on_session_) on_session_(*send->checkpoint.session);
                if (owner_.abandoned && owner_.abandoned()) return;  // nobody waits: stop here
                send->request.owner = owner_;
                services_.transport.send(std::move(send->request),
                                         [self = shared_from_this()](http::Outcome outcome) {
                                             self->step(self->machine_->feed(outcome, now()));
                                         });
            } else if (auto* id = std::get_if<publish::Identity>(&s)) {
                on_identity_(*id);
            } else {
                const auto& f = std::get<publish::Failure>(s);
                std::string message = fmt::format("{}: {}", context_, f.message);
                if (f.cls == publish::FailureClass::needs_login) message += hint_;
                throw Error(failure_kind(f), message);
            }
        } catch (...) {
            reply_.error(std::current_exception());
        }
    }

    static std::string failure_kind(const publish::Failure& f) {
        switch (f.cls) {
        case publish::FailureClass::needs_login: return "needs_auth";
        case publish::FailureClass::rate_limited: return "rate_limited";
        default: return "platform_error";
        }
    }

    AccountServices& services_;
    publish::Account view_;
    std::string context_;
    std::string hint_;
    rpc::Responder reply_;
    OnIdentity on_identity_;
    OnSession on_session_;
    std::unique_ptr<publish::WhoAmI> machine_;
    http::RequestOwner owner_;  ///< empty: not limited (set by limited_as)
};

Json identity_json(const publish::Identity& id) {
    Json identity = Json::object();
    identity["id"] = id.id;
    identity["username"] = id.username;
    identity["name"] = id.name;
    return identity;
}

Json identity_result(const accounts::Account& account, const publish::Identity& id) {
    Json out = Json::object();
    out["name"] = account.name;
    out["platform"] = publish::platform_name(account.platform);
    out["identity"] = identity_json(id);
    return out;
}

// How an account whose stored secret was refused gets a new one.
std::string update_hint(const accounts::Account& account) {
    return fmt::format("; give it a new {} with: {}",
                       account.platform == publish::Platform::bluesky ? "app password" : "token",
                       accounts::new_login_command(account.platform, account.name));
}

}  // namespace

void store_login(AccountServices& services, Json params, std::shared_ptr<oauth::TokenSet> tokens,
                 rpc::Responder reply) {
    const std::string name = params.value("name", "");
    const bool exists = accounts::exists(services.store, name);
    if (exists) {
        // Logging in again: the token is replaced in place; the account and its posts stay.
        Json up = Json::object();
        up["name"] = name;
        up["token"] = tokens->access_token;
        auto update = std::make_shared<accounts::SecretUpdate>(accounts::parse_secret_update(services.store, up));
        secrets::wipe(up["token"].get_ref<std::string&>().data(), up["token"].get_ref<std::string&>().size());
        std::make_shared<WhoAmIRun>(
            services, accounts::publisher_account(*update),
            fmt::format("account {}: the token the login gave does not work", name), "; nothing was changed", reply,
            [&services, update, tokens, reply](const publish::Identity& id) {
                accounts::check_identity(*update, id);
                const accounts::Account updated =
                    accounts::update_secret(services.store, services.secrets, *update, std::nullopt, now_ms());
                accounts::save_token_details(services.secrets, updated, *tokens, now_ms());
                Json out = shown(updated, services.secrets);
                out["identity"] = identity_json(id);
                out["replaced"] = true;
                reply.result(std::move(out));
            },
            nullptr)
            ->start();
        return;
    }
    params["token"] = tokens->access_token;
    auto request = std::make_shared<accounts::NewAccount>(accounts::parse_new_account(params, true));
    secrets::wipe(params["token"].get_ref<std::string&>().data(), params["token"].get_ref<std::string&>().size());
    std::make_shared<WhoAmIRun>(
        services, accounts::publisher_account(*request),
        fmt::format("account {}: the token the login gave does not work", name), "; nothing was stored", reply,
        [&services, request, tokens, reply](const publish::Identity& id) {
            accounts::with_identity(*request, id);
            accounts::with_username(*request, id);
            accounts::check_identity(*request, id);
            const accounts::Account added = accounts::add(services.store, services.secrets, *request, now_ms());
            accounts::save_token_details(services.secrets, added, *tokens, now_ms());
            Json out = shown(added, services.secrets);
            out["identity"] = identity_json(id);
            out["replaced"] = false;
            reply.result(std::move(out));
        },
        nullptr)
        ->start();
}

void add_account_methods(rpc::MethodTable& table, AccountServices& services) {
    table.add_deferred(
        {"account.add",
         "Adds an account and stores its secret (token, or Bluesky app password) in the vault. "
         "Everything is checked before anything is written, the secret with the platform's "
         "who-am-I (unless no_check), which also learns the X username and the LinkedIn member.",
         {
             text("platform", "x, linkedin, facebook, instagram, threads, mastodon or bluesky", true),
             text("name", "the account's name: [a-z0-9][a-z0-9._-]{0,63}", true),
             text("api_base", "the platform API's base URL (default: the platform's own)"),
             text("web_base", "the public web host used in post URLs (default: the platform's)"),
             text("token", "the access token (not bluesky); secret"),
             text("app_password", "bluesky: the app password; secret"),
             text("username", "x: the username, for post URLs"),
             text("author", "linkedin: urn:li:person:ID or urn:li:organization:ID (default: the "
                                    "token's member, from userinfo)"),
             text("page_id", "facebook: the Page id"),
             text("ig_user_id", "instagram: the business account's IG user id"),
             text("user_id", "threads: the Threads user id (default: me)"),
             text("instance", "mastodon: the instance URL (the API base)"),
             ParamSpec{"max_characters", ParamType::integer, false,
                       "mastodon: the instance's post length limit (default 500)"},
             text("handle", "bluesky: the handle to log in with"),
             text("service", "bluesky: the PDS URL (default https://bsky.social)"),
             ParamSpec{"no_check", ParamType::boolean, false,
                       "store without asking the platform's who-am-I first (default false)"},
         },
         true},
        [&services](const Json& params, const rpc::CallContext&, rpc::Responder reply) {
            auto request = std::make_shared<accounts::NewAccount>(accounts::parse_new_account(params, true));
            auto session = std::make_shared<std::optional<publish::BlueskySession>>();
            const auto store_it = [&services, request, session, reply] {
                const accounts::Account added =
                    accounts::add(services.store, services.secrets, *request, now_ms());
                if (*session) accounts::save_session(services.secrets, added, **session);
                reply.result(shown(added, services.secrets));
            };
            if (params.value("no_check", false)) {
                if (request->discover_author) {
                    throw Error("bad_input", "without the check (--no-check) growth cannot learn the LinkedIn "
                                             "member: pass --author urn:li:person:ID");
                }
                return store_it();
            }
            // The secret is checked with the platform's who-am-I before anything is stored; it
            // teaches the X username and the LinkedIn member. The name is checked first so a
            // taken name costs no request; add() checks it again.
            accounts::check_name_free(services.store, request->name);
            const bool bluesky = request->platform == publish::Platform::bluesky;
            std::make_shared<WhoAmIRun>(
                services, accounts::publisher_account(*request),
                request->discover_author
                    ? fmt::format("cannot find the LinkedIn author for account {} (pass --author)", request->name)
                    : fmt::format("account {}: the {} does not work", request->name, bluesky ? "app password" : "token"),
                "; nothing was stored", reply,
                [request, store_it](const publish::Identity& identity) {
                    accounts::with_identity(*request, identity);
                    accounts::with_username(*request, identity);
                    accounts::check_identity(*request, identity);
                    store_it();
                },
                // A Bluesky check logs in: that session is kept with the account.
                [session](const publish::BlueskySession& s) { *session = s; })
                ->start();
        });

    table.add({"account.list", "Every account, by name (never secrets).", {}, false},
              [&services](const Json&) {
                  Json list = Json::array();
                  for (const auto& a : accounts::list(services.store)) {
                      Json j = accounts::to_json(a);
                      // Where a login gave a token that expires: when (the vault must be open).
                      try {
                          const auto state = accounts::token_state(services.secrets, a);
                          if (state.expires_at) j["token_expires_at"] = *state.expires_at;
                      } catch (const Error&) {
                      }
                      list.push_back(std::move(j));
                  }
                  return Json{{"accounts", std::move(list)}};
              });

    table.add({"account.show",
               "One account: platform, API base, settings, and which secret fields are stored "
               "(never their values).",
               {text("name", "the account's name", true)},
               false},
              [&services](const Json& params) {
                  const auto account = accounts::get(services.store, params["name"].get<std::string>());
                  return shown(account, services.secrets);
              });

    table.add({"account.remove",
               "Removes an account and its secrets; posts keep their history.",
               {text("name", "the account's name", true)},
               true},
              [&services](const Json& params) {
                  const auto removed =
                      accounts::remove(services.store, services.secrets, params["name"].get<std::string>());
                  return Json{{"removed", accounts::to_json(removed)}};
              });

    table.add_deferred(
        {"account.update",
         "Replaces an account's secret (token, or Bluesky app password) in the vault, in place: "
         "its id and its posts' targets stay. The new secret is checked with the platform's "
         "who-am-I first (it must be the account's own user where the account names it); "
         "nothing is changed unless that succeeds.",
         {
             text("name", "the account's name", true),
             text("token", "the new access token (not bluesky); secret"),
             text("app_password", "bluesky: the new app password; secret"),
         },
         true},
        [&services](const Json& params, const rpc::CallContext&, rpc::Responder reply) {
            auto update = std::make_shared<accounts::SecretUpdate>(
                accounts::parse_secret_update(services.store, params));
            auto session = std::make_shared<std::optional<publish::BlueskySession>>();
            const std::string what =
                update->account.platform == publish::Platform::bluesky ? "app password" : "token";
            std::make_shared<WhoAmIRun>(
                services, accounts::publisher_account(*update),
                fmt::format("account {}: the new {} does not work", update->account.name, what),
                "; nothing was changed", reply,
                [&services, update, session, reply](const publish::Identity& id) {
                    accounts::check_identity(*update, id);
                    const accounts::Account updated =
                        accounts::update_secret(services.store, services.secrets, *update, *session, now_ms());
                    Json out = shown(updated, services.secrets);
                    out["identity"] = identity_json(id);
                    reply.result(std::move(out));
                },
                // A Bluesky login with the new password makes a session: kept with the password
                // once the identity is known (never before: a refused update stores nothing).
                [session](const publish::BlueskySession& s) { *session = s; })
                ->start();
        });

    table.add_deferred(
        {"account.test",
         "Asks the platform who the account's token belongs to; answers when the platform has.",
         {text("name", "the account's name", true)},
         false},
        [&services](const Json& params, const rpc::CallContext&, rpc::Responder reply) {
            auto account = std::make_shared<accounts::Account>(
                accounts::get(services.store, params["name"].get<std::string>()));
            const auto test = [&services, account, reply] {
                auto view = accounts::publisher_account(*account, services.secrets);
                std::make_shared<WhoAmIRun>(
                    services, std::move(view), "account " + account->name, update_hint(*account), reply,
                    [account, reply](const publish::Identity& id) { reply.result(identity_result(*account, id)); },
                    [&services, account](const publish::BlueskySession& session) {
                        accounts::save_session(services.secrets, *account, session);
                    })
                    ->limited_as(account->name)
                    ->start();
            };
            if (!services.refresher) return test();
            // A logged-in account's token due for a refresh is refreshed first.
            services.refresher->ensure_fresh(*account, false, [test, reply](std::exception_ptr e) {
                if (e) return reply.error(e);
                try {
                    test();
                } catch (...) {
                    reply.error(std::current_exception());
                }
            });
        });

    table.add_deferred(
        {"account.refresh",
         "Refreshes a logged-in account's token now with its refresh token (growthd also does it by "
         "itself before a token expires); the rotated refresh token is stored before the new token is "
         "used.",
         {text("name", "the account's name", true)},
         true},
        [&services](const Json& params, const rpc::CallContext&, rpc::Responder reply) {
            auto account = std::make_shared<accounts::Account>(
                accounts::get(services.store, params["name"].get<std::string>()));
            if (!services.refresher) throw Error("bad_input", "tokens are not refreshed here");
            services.refresher->ensure_fresh(*account, true, [&services, account, reply](std::exception_ptr e) {
                if (e) return reply.error(e);
                try {
                    Json out = shown(*account, services.secrets);
                    out["refreshed"] = true;
                    reply.result(std::move(out));
                } catch (...) {
                    reply.error(std::current_exception());
                }
            });
        });
}

std::unique_ptr<secrets::Vault> open_secret_store(const std::filesystem::path& data_dir,
                                                        const std::filesystem::path& key_file) {
    return std::make_unique<secrets::Vault>(
        data_dir / "vault.db", std::make_unique<secrets::KeyFileSource>(key_file));
}

}  // namespace growth::daemon
