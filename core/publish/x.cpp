#include "core/publish/x.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "core/http/encoding.hpp"
#include "core/publish/bearer_whoami.hpp"
#include "core/publish/json_fields.hpp"
#include "core/publish/machine.hpp"
#include "core/publish/rate_limit.hpp"

namespace growth::publish::x {

namespace {

using nlohmann::json;

bool is_tweet_id(const std::string& s) {
    return !s.empty() && s.size() <= 19 &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The human text of an RFC 7807 problem body (detail, else title, else errors[0].message).
std::string problem_text(const std::optional<json>& j) {
    if (!j) return "unreadable error body";
    if (auto d = nonempty_string_member(*j, "detail")) return *d;
    if (auto t = nonempty_string_member(*j, "title")) return *t;
    if (const auto* errors = member(*j, "errors");
        errors != nullptr && errors->is_array() && !errors->empty()) {
        if (auto m = nonempty_string_member((*errors)[0], "message")) return *m;
    }
    return "no detail given";
}

// Classifies a non-2xx answer (also used by who-am-I).
Failure classify_error(const http::HttpResponse& r, Instant now, std::string_view what,
                       std::string_view token, bool applies) {
    auto j = parse_json(r.body);
    std::string detail = sanitize_message(problem_text(j), {token});
    auto fail = [&](FailureClass cls, std::string code, std::string_view verb) {
        return make_failure(cls, std::move(code),
                            fmt::format("{} {}: {} (HTTP {})", what, verb, detail, r.status),
                            r.status);
    };
    if (r.status == 429) {
        auto f = fail(FailureClass::rate_limited, "rate_limited", "is rate limited");
        f.retry_at = x_reset(r.headers, now);
        return f;
    }
    if (r.status == 401)
        return fail(FailureClass::needs_login, "token_invalid", "needs a new login");
    if (r.status >= 500) return server_error_failure(r.status, !applies, what, detail);
    if (r.status == 403) {
        std::string lower = detail;
        std::transform(lower.begin(), lower.end(), lower.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (lower.find("duplicate") != std::string::npos) {
            return fail(FailureClass::permanent, "duplicate_content", "was refused as a duplicate");
        }
        return fail(FailureClass::permanent, "forbidden", "was refused");
    }
    if (r.status == 400) return fail(FailureClass::permanent, "validation", "was refused");
    return fail(FailureClass::permanent, fmt::format("http_{}", r.status), "was refused");
}

class Publisher final : public PartPublisher {
  public:
    Publisher(const Account& account, Part part) : account_(account), part_(std::move(part)) {}

    PartStep start(Instant /*now*/) override {
        if (auto problem = detail::reply_refs_problem(part_, false); !problem.empty()) {
            return detail::bad_input("X: " + problem);
        }
        if (part_.text.empty())
            return detail::bad_input("X: part " + std::to_string(part_.index) + " has no text");
        if (account_.access_token.empty()) return detail::no_token("X");
        if (part_.resume) {
            return make_failure(
                FailureClass::ambiguous, "no_idempotency",
                fmt::format("X: an earlier attempt at part {} may have been published and X "
                            "offers no way to check it safely; check the account and resolve",
                            part_.index));
        }
        nlohmann::ordered_json body;
        body["text"] = part_.text;
        if (part_.index > 1) body["reply"]["in_reply_to_tweet_id"] = part_.parent->id;
        auto text = dump_json(body);
        if (!text) return detail::bad_input("X: part text is not valid UTF-8");
        http::HttpRequest req;
        req.method = "POST";
        req.url =
            http::join_url(detail::or_default(account_.api_base, kDefaultApiBase), "2/tweets");
        req.headers.add("Authorization", "Bearer " + account_.access_token);
        req.headers.add("Content-Type", "application/json");
        req.body = std::move(*text);
        sent_ = true;
        return detail::send(std::move(req));
    }

    PartStep feed(const http::Outcome& outcome, Instant now) override {
        if (!sent_) return detail::misuse("X post");
        sent_ = false;
        if (const auto* nr = std::get_if<http::NoResponse>(&outcome)) {
            return no_response_failure(*nr, false, "X post");
        }
        const auto& r = std::get<http::HttpResponse>(outcome);
        if (!is_success(r.status))
            return classify_error(r, now, "X post", account_.access_token, true);
        auto j = parse_json(r.body);
        std::string problem;
        if (!j) {
            problem = "the body is not JSON";
        } else if (const auto* data = member(*j, "data"); data == nullptr || !data->is_object()) {
            // A 2xx with only `errors` means nothing was created.
            if (const auto* errors = member(*j, "errors");
                errors != nullptr && errors->is_array() && !errors->empty()) {
                return make_failure(
                    FailureClass::permanent, "validation",
                    fmt::format("X post was refused: {} (HTTP {})",
                                sanitize_message(problem_text(j), {account_.access_token}),
                                r.status),
                    r.status);
            }
            problem = "data is missing or not an object";
        } else if (auto id = string_member(*data, "id"); !id || !is_tweet_id(*id)) {
            problem = "data.id is missing or not a numeric string";
        } else {
            Published p;
            p.remote_id = *id;
            p.url = post_url(account_, *id);
            p.ref = PartRef{*id, "", p.url};
            return p;
        }
        return make_failure(
            FailureClass::ambiguous, "bad_response",
            fmt::format("X post answered HTTP {} but {}; it may have been published", r.status,
                        problem),
            r.status);
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
    return detail::make_bearer_whoami({
        .what = "X who-am-I",
        .url = http::join_url(detail::or_default(account.api_base, kDefaultApiBase), "2/users/me"),
        .token = account.access_token,
        .classify = classify_error,
        .classify_flag = false,
        .id_field = "data.id",
        .identity = [](const json& body) -> std::optional<Identity> {
            const json* data = member(body, "data");
            auto id = data ? nonempty_string_member(*data, "id") : std::nullopt;
            if (!id) return std::nullopt;
            return Identity{*id, string_member(*data, "username").value_or(""),
                            string_member(*data, "name").value_or("")};
        },
        .precondition = account.access_token.empty()
                            ? std::optional<Failure>(detail::no_token("X"))
                            : std::nullopt,
    });
}

std::string post_url(const Account& account, std::string_view id) {
    auto web = detail::or_default(account.web_base, kDefaultWebBase);
    if (account.username.empty()) return http::join_url(web, fmt::format("i/status/{}", id));
    return http::join_url(web, fmt::format("{}/status/{}", account.username, id));
}

}  // namespace growth::publish::x
