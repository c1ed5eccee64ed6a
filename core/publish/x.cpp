#include "core/publish/x.hpp"

#include <algorithm>
#include <cctype>

#include <date/date.h>
#include <fmt/format.h>

#include "core/http/encoding.hpp"
#include "core/publish/bearer_whoami.hpp"
#include "core/publish/json_fields.hpp"
#include "core/publish/machine.hpp"
#include "core/publish/rate_limit.hpp"
#include "core/publish/read_back.hpp"

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

    PartStep start(Instant now) override {
        if (auto problem = detail::reply_refs_problem(part_, false); !problem.empty()) {
            return detail::bad_input("X: " + problem);
        }
        if (part_.text.empty())
            return detail::bad_input("X: part " + std::to_string(part_.index) + " has no text");
        if (account_.access_token.empty()) return detail::no_token("X");
        nlohmann::ordered_json body;
        body["text"] = part_.text;
        if (part_.index > 1) body["reply"]["in_reply_to_tweet_id"] = part_.parent->id;
        auto text = dump_json(body);
        if (!text) return detail::bad_input("X: part text is not valid UTF-8");
        body_ = std::move(*text);
        started_ = now;
        // X has no idempotency key: an earlier attempt that may have gone through is looked up
        // in the account's timeline before anything is sent again.
        if (part_.resume) {
            resuming_ = true;
            return read_back(fmt::format("an earlier attempt at part {} may have been published",
                                         part_.index),
                             0);
        }
        return create();
    }

    PartStep feed(const http::Outcome& outcome, Instant now) override {
        Stage stage = stage_;
        stage_ = Stage::idle;
        switch (stage) {
            case Stage::idle:
                break;
            case Stage::create:
                return on_create(outcome, now);
            case Stage::me:
                return on_me(outcome);
            case Stage::timeline:
                return on_timeline(outcome);
        }
        return detail::misuse("X post");
    }

  private:
    enum class Stage { idle, create, me, timeline };

    std::string base() const { return detail::or_default(account_.api_base, kDefaultApiBase); }

    http::HttpRequest get(std::string url) const {
        http::HttpRequest req;
        req.method = "GET";
        req.url = std::move(url);
        req.headers.add("Authorization", "Bearer " + account_.access_token);
        return req;
    }

    PartStep create() {
        http::HttpRequest req;
        req.method = "POST";
        req.url = http::join_url(base(), "2/tweets");
        req.headers.add("Authorization", "Bearer " + account_.access_token);
        req.headers.add("Content-Type", "application/json");
        req.body = body_;
        stage_ = Stage::create;
        return detail::send(std::move(req));
    }

    // Reads the timeline back: GET /2/users/me for the user id, then GET /2/users/{id}/tweets.
    PartStep read_back(std::string first, int status) {
        first_ = std::move(first);
        status_ = status;
        stage_ = Stage::me;
        return detail::send(get(http::join_url(base(), "2/users/me")));
    }

    Failure unchecked(std::string_view why) const {
        return detail::unchecked_failure("X post", first_, why, part_.index);
    }

    PartStep on_create(const http::Outcome& outcome, Instant now) {
        if (const auto* nr = std::get_if<http::NoResponse>(&outcome)) {
            if (nr->kind == http::NoResponseKind::not_sent)
                return no_response_failure(*nr, false, "X post");
            return read_back(
                fmt::format("X post got no response ({})", sanitize_message(nr->detail, {})), 0);
        }
        const auto& r = std::get<http::HttpResponse>(outcome);
        if (r.status >= 500)
            return read_back(fmt::format("X post failed with HTTP {}", r.status), r.status);
        if (!is_success(r.status)) {
            auto f = classify_error(r, now, "X post", account_.access_token, true);
            if (f.code == "duplicate_content" && resuming_) {
                // The timeline did not show it, but X remembers the text: the earlier attempt
                // most likely went through (platforms.md §1.6), perhaps only after the timeline
                // was read (a create stalled across a restart). Read it once more; still absent,
                // the outcome is for the person to resolve.
                f.cls = FailureClass::ambiguous;
                f.code = "duplicate_after_lost";
                f.message += "; the earlier attempt was most likely published: check the "
                             "account and resolve it";
                if (!duplicate_) {
                    duplicate_ = std::move(f);
                    return read_back(duplicate_->message, r.status);
                }
            }
            return f;
        }
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
            return published(*id);
        }
        return read_back(fmt::format("X post answered HTTP {} but {}", r.status, problem),
                         r.status);
    }

    PartStep on_me(const http::Outcome& outcome) {
        const auto* r = std::get_if<http::HttpResponse>(&outcome);
        if (r == nullptr) return unchecked("the account lookup got no response");
        if (!is_success(r->status)) {
            return unchecked(fmt::format("the account lookup failed with HTTP {}", r->status));
        }
        auto j = parse_json(r->body);
        const json* data = j ? member(*j, "data") : nullptr;
        auto id = data ? string_member(*data, "id") : std::nullopt;
        if (!id || !is_tweet_id(*id)) return unchecked("the account lookup gave no user id");
        const auto from = std::chrono::floor<std::chrono::seconds>(
            detail::window_start(part_, started_));
        stage_ = Stage::timeline;
        return detail::send(get(http::with_query(
            http::join_url(base(), "2/users/" + *id + "/tweets"),
            {{"max_results", "100"},
             {"start_time", date::format("%FT%TZ", from)},
             {"tweet.fields", "created_at,referenced_tweets"}})));
    }

    PartStep on_timeline(const http::Outcome& outcome) {
        const auto* r = std::get_if<http::HttpResponse>(&outcome);
        if (r == nullptr) return unchecked("the timeline read got no response");
        if (r->status == 401 || r->status == 403) {
            return unchecked(
                fmt::format("the token cannot read the timeline: HTTP {}", r->status));
        }
        if (!is_success(r->status))
            return unchecked(fmt::format("the timeline read failed with HTTP {}", r->status));
        auto j = parse_json(r->body);
        if (!j || !j->is_object()) return unchecked("the timeline answer is not a JSON object");
        std::vector<detail::ListedPost> items;
        if (const auto* data = member(*j, "data"); data != nullptr) {
            if (!data->is_array()) return unchecked("the timeline's data is not an array");
            for (const auto& t : *data) {
                detail::ListedPost item;
                item.id = string_member(t, "id").value_or("");
                item.text = string_member(t, "text").value_or("");
                if (auto at = string_member(t, "created_at")) item.created_at = parse_iso8601(*at);
                // referenced_tweets was asked for: its absence means "not a reply".
                item.parent = "";
                if (const auto* refs = member(t, "referenced_tweets");
                    refs != nullptr && refs->is_array()) {
                    for (const auto& ref : *refs) {
                        if (string_member(ref, "type").value_or("") == "replied_to")
                            item.parent = string_member(ref, "id").value_or("");
                    }
                }
                items.push_back(std::move(item));
            }
        }
        const json* meta = member(*j, "meta");
        const bool more = meta != nullptr && member(*meta, "next_token") != nullptr;
        const std::string parent = part_.index > 1 ? part_.parent->id : std::string();
        auto found = detail::find_part(items, part_.text, parent, false, more,
                                       detail::window_start(part_, started_), true);
        switch (found.verdict) {
            case detail::Verdict::found:
                return published(found.id);
            case detail::Verdict::absent:
                if (duplicate_) return *duplicate_;
                if (resuming_) return create();
                return detail::absent_failure(first_, "post", status_);
            case detail::Verdict::unknown:
                break;
        }
        return unchecked(found.why);
    }

    Published published(const std::string& id) const {
        Published p;
        p.remote_id = id;
        p.url = post_url(account_, id);
        p.ref = PartRef{id, "", p.url};
        return p;
    }

    const Account account_;
    Part part_;
    std::string body_;
    std::string first_;
    Instant started_{};
    Stage stage_ = Stage::idle;
    int status_ = 0;
    bool resuming_ = false;
    /// X called the resumed re-send a duplicate: what the part ends with unless the second
    /// timeline read finds it.
    std::optional<Failure> duplicate_;
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
