#include "core/oauth/mastodon_app.hpp"

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/http/encoding.hpp"
#include "core/oauth/answer_text.hpp"
#include "core/json.hpp"
#include "core/publish/json_fields.hpp"
#include "core/secrets/secret_bytes.hpp"

namespace growth::oauth {

RegisteredClient::~RegisteredClient() { secrets::wipe(client_secret.data(), client_secret.size()); }

http::HttpRequest registration_request(std::string_view instance, std::string_view redirect_uri,
                                       std::string_view scopes) {
    Json body = Json::object();
    body["client_name"] = "growth";
    body["redirect_uris"] = Json::array({std::string(redirect_uri)});
    body["scopes"] = std::string(scopes);
    http::HttpRequest r;
    r.method = "POST";
    r.url = http::join_url(instance, "/api/v1/apps");
    r.headers.add("Content-Type", "application/json");
    r.headers.add("Accept", "application/json");
    r.body = body.dump();
    return r;
}

RegisteredClient parse_registration(const http::Outcome& outcome, std::string_view instance,
                                    std::string_view redirect_uri, std::string_view scopes) {
    const std::string who = fmt::format("the Mastodon instance {}", instance);
    const auto* response = std::get_if<http::HttpResponse>(&outcome);
    if (!response) {
        throw Error("platform_error", fmt::format("{} did not answer the app registration ({}); log in again later",
                                                  who, one_line(std::get<http::NoResponse>(outcome).detail)));
    }
    const auto body = publish::parse_json(response->body);
    if (response->status < 200 || response->status > 299) {
        const auto why = body ? publish::string_member(*body, "error") : std::nullopt;
        throw Error("platform_error", fmt::format("{} refused to register growth's app (HTTP {}{}{}); is it a "
                                                  "Mastodon server?",
                                                  who, response->status, why ? ": " : "", why ? one_line(*why) : ""));
    }
    RegisteredClient c;
    const auto id = body ? publish::string_member(*body, "client_id") : std::nullopt;
    auto secret = body ? publish::string_member(*body, "client_secret") : std::nullopt;
    if (!id || !secret || !printable_credential(*id) || !printable_credential(*secret)) {
        if (secret) secrets::wipe(secret->data(), secret->size());
        throw Error("platform_error", fmt::format("{} registered growth's app without a usable client_id and "
                                                  "client_secret",
                                                  who));
    }
    c.client_id = *id;
    c.client_secret = std::move(*secret);
    c.redirect_uri = std::string(redirect_uri);
    c.scopes = std::string(scopes);
    return c;
}

App mastodon_app(std::string_view instance, const RegisteredClient& client) {
    App app;
    app.platform = Platform::mastodon;
    app.client_id = client.client_id;
    app.client_secret = client.client_secret;
    app.authorize_url = http::join_url(instance, "/oauth/authorize");
    app.token_url = http::join_url(instance, "/oauth/token");
    app.scopes = client.scopes;
    app.auth = ClientAuth::secret_body;
    app.pkce = true;
    return app;
}

std::string client_vault_key(std::string_view instance) { return "app:" + std::string(instance); }

}  // namespace growth::oauth
