#include "core/publish/mastodon.hpp"

#include <fmt/format.h>

#include "core/http/encoding.hpp"
#include "core/publish/bearer_whoami.hpp"
#include "core/publish/json_fields.hpp"
#include "core/publish/machine.hpp"
#include "core/publish/rate_limit.hpp"

namespace growth::publish::mastodon {

namespace {

Failure classify_error(const http::HttpResponse& r, Instant now, std::string_view what,
                       std::string_view token, bool idempotent) {
    auto j = parse_json(r.body);
    std::string detail =
        j ? string_member(*j, "error").value_or("no error text") : "unreadable error body";
    detail = sanitize_message(detail, {token});
    auto fail = [&](FailureClass cls, std::string code, std::string_view verb) {
        return make_failure(cls, std::move(code),
                            fmt::format("{} {}: {} (HTTP {})", what, verb, detail, r.status),
                            r.status);
    };
    if (r.status == 429) {
        auto f = fail(FailureClass::rate_limited, "rate_limited", "is rate limited");
        f.retry_at = mastodon_reset(r.headers, now);
        return f;
    }
    if (r.status == 401)
        return fail(FailureClass::needs_login, "token_invalid", "needs a new login");
    if (r.status >= 500) return server_error_failure(r.status, idempotent, what, j ? detail : "");
    if (r.status == 422) return fail(FailureClass::permanent, "validation", "was refused");
    if (r.status == 403) return fail(FailureClass::permanent, "forbidden", "was refused");
    if (r.status == 404) return fail(FailureClass::permanent, "not_found", "was refused");
    return fail(FailureClass::permanent, fmt::format("http_{}", r.status), "was refused");
}

class Publisher final : public PartPublisher {
  public:
    Publisher(const Account& account, Part part) : account_(account), part_(std::move(part)) {}

    PartStep start(Instant now) override {
        if (account_.api_base.empty())
            return detail::bad_input("Mastodon: the account has no instance URL");
        if (auto problem = detail::reply_refs_problem(part_, false); !problem.empty()) {
            return detail::bad_input("Mastodon: " + problem);
        }
        if (part_.text.empty()) {
            return detail::bad_input("Mastodon: part " + std::to_string(part_.index) +
                                     " has no text");
        }
        if (part_.idempotency_key.empty())
            return detail::bad_input("Mastodon: the part has no idempotency key");
        if (account_.access_token.empty()) return detail::no_token("Mastodon");
        if (part_.resume && part_.first_attempt_at &&
            now - *part_.first_attempt_at > kIdempotencyWindow) {
            return make_failure(
                FailureClass::ambiguous, "idempotency_expired",
                fmt::format("Mastodon: part {} was first sent more than an hour ago, so the "
                            "server no longer remembers its idempotency key; check the "
                            "account and resolve",
                            part_.index));
        }
        nlohmann::ordered_json body;
        body["status"] = part_.text;
        if (part_.index > 1) body["in_reply_to_id"] = part_.parent->id;
        body["visibility"] =
            account_.mastodon.visibility.empty() ? "public" : account_.mastodon.visibility;
        if (!account_.mastodon.language.empty()) body["language"] = account_.mastodon.language;
        auto text = dump_json(body);
        if (!text) return detail::bad_input("Mastodon: part text is not valid UTF-8");
        http::HttpRequest req;
        req.method = "POST";
        req.url = http::join_url(account_.api_base, "api/v1/statuses");
        req.headers.add("Authorization", "Bearer " + account_.access_token);
        req.headers.add("Idempotency-Key", part_.idempotency_key);
        req.headers.add("Content-Type", "application/json");
        req.body = std::move(*text);
        sent_ = true;
        return detail::send(std::move(req));
    }

    PartStep feed(const http::Outcome& outcome, Instant now) override {
        if (!sent_) return detail::misuse("Mastodon post");
        sent_ = false;
        if (const auto* nr = std::get_if<http::NoResponse>(&outcome)) {
            return no_response_failure(*nr, true, "Mastodon post");
        }
        const auto& r = std::get<http::HttpResponse>(outcome);
        if (!is_success(r.status))
            return classify_error(r, now, "Mastodon post", account_.access_token, true);
        auto j = parse_json(r.body);
        std::string problem;
        std::optional<std::string> id;
        if (!j) {
            problem = "the body is not JSON";
        } else if (id = nonempty_string_member(*j, "id"); !id) {
            problem = "id is missing or not a string";
        } else if (member(*j, "scheduled_at") != nullptr && member(*j, "params") != nullptr) {
            // A resend with the same key would return the same ScheduledStatus: not retryable.
            return make_failure(
                FailureClass::permanent, "scheduled_status",
                fmt::format("Mastodon scheduled the post instead of publishing it (HTTP {}); "
                            "cancel it on the instance",
                            r.status),
                r.status);
        } else {
            // `url` is nullable; `uri` is always present on a Status (platforms.md §6.2).
            auto url = nonempty_string_member(*j, "url");
            if (!url) url = nonempty_string_member(*j, "uri");
            Published p;
            p.remote_id = *id;
            p.url = url.value_or("");
            p.ref = PartRef{*id, "", p.url};
            return p;
        }
        // Resending with the same Idempotency-Key returns the status that was created.
        auto f =
            make_failure(FailureClass::retry_safe, "bad_response",
                         fmt::format("Mastodon post answered HTTP {} but {}; a retry is idempotent",
                                     r.status, problem),
                         r.status);
        f.verify_on_retry = true;
        return f;
    }

  private:
    const Account account_;
    Part part_;
    bool sent_ = false;
};


}  // namespace

std::unique_ptr<PartPublisher> make_publisher(const Account& account, Part part) {
    return std::make_unique<Publisher>(account, std::move(part));
}

std::unique_ptr<WhoAmI> make_whoami(const Account& account) {
    std::optional<Failure> precondition;
    if (account.api_base.empty())
        precondition = detail::bad_input("Mastodon: the account has no instance URL");
    else if (account.access_token.empty())
        precondition = detail::no_token("Mastodon");
    return detail::make_bearer_whoami({
        .what = "Mastodon who-am-I",
        .url = http::join_url(account.api_base, "api/v1/accounts/verify_credentials"),
        .token = account.access_token,
        .classify = classify_error,
        .classify_flag = true,
        .id_field = "id",
        .identity = [](const nlohmann::json& body) -> std::optional<Identity> {
            auto id = nonempty_string_member(body, "id");
            if (!id) return std::nullopt;
            return Identity{*id, string_member(body, "acct").value_or(""),
                            string_member(body, "display_name").value_or("")};
        },
        .precondition = std::move(precondition),
    });
}

}  // namespace growth::publish::mastodon
