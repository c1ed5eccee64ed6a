#include "core/publish/linkedin.hpp"

#include <fmt/format.h>

#include "core/http/encoding.hpp"
#include "core/publish/bearer_whoami.hpp"
#include "core/publish/json_fields.hpp"
#include "core/publish/machine.hpp"
#include "core/publish/rate_limit.hpp"
#include "core/publish/read_back.hpp"

namespace growth::publish::linkedin {

namespace {

namespace pd = publish::detail;

struct RestliError {
    std::string message;
    std::string code;        ///< "code", e.g. NONEXISTENT_VERSION
    std::string input_code;  ///< errorDetails.inputErrors[0].code, e.g. DUPLICATE_POST
    long long service_code = 0;
};

RestliError parse_error(std::string_view body) {
    RestliError e;
    auto j = parse_json(body);
    if (!j) return e;
    e.message = string_member(*j, "message").value_or("");
    e.code = string_member(*j, "code").value_or("");
    e.service_code = integer_member(*j, "serviceErrorCode").value_or(0);
    if (const auto* details = member(*j, "errorDetails")) {
        if (const auto* inputs = member(*details, "inputErrors");
            inputs != nullptr && inputs->is_array() && !inputs->empty()) {
            e.input_code = string_member((*inputs)[0], "code").value_or("");
        }
    }
    return e;
}

bool is_author_urn(const std::string& s) {
    for (std::string_view prefix : {"urn:li:person:", "urn:li:organization:"}) {
        if (s.size() > prefix.size() && s.compare(0, prefix.size(), prefix) == 0) return true;
    }
    return false;
}

Failure classify_error(const http::HttpResponse& r, Instant now, std::string_view what,
                       std::string_view token, bool applies) {
    auto e = parse_error(r.body);
    std::string detail =
        e.message.empty() ? std::string(e.code.empty() ? "no message" : e.code) : e.message;
    detail = sanitize_message(detail, {token});
    auto fail = [&](FailureClass cls, std::string code, std::string_view verb) {
        return make_failure(cls, std::move(code),
                            fmt::format("{} {}: {} (HTTP {})", what, verb, detail, r.status),
                            r.status);
    };
    if (r.status == 401)
        return fail(FailureClass::needs_login, "token_invalid", "needs a new login");
    if (r.status == 429) {
        auto f = fail(FailureClass::rate_limited, "rate_limited", "is rate limited");
        f.retry_at = retry_after_reset(r.headers, now);
        return f;
    }
    if (r.status >= 500) return server_error_failure(r.status, !applies, what, detail);
    if (r.status == 426 || e.code == "NONEXISTENT_VERSION") {
        return fail(FailureClass::permanent, "version_inactive",
                    "was refused (set a current LinkedIn-Version)");
    }
    if (e.input_code == "DUPLICATE_POST")
        return fail(FailureClass::permanent, "duplicate_content", "was refused as a duplicate");
    if (r.status == 403) return fail(FailureClass::permanent, "forbidden", "was refused");
    if (r.status == 400 || r.status == 422)
        return fail(FailureClass::permanent, "validation", "was refused");
    return fail(FailureClass::permanent, fmt::format("http_{}", r.status), "was refused");
}

http::HttpRequest json_post(const Account& account, std::string url, std::string body,
                            bool versioned) {
    http::HttpRequest req;
    req.method = "POST";
    req.url = std::move(url);
    req.headers.add("Authorization", "Bearer " + account.access_token);
    if (versioned) req.headers.add("LinkedIn-Version", account.linkedin.version);
    req.headers.add("X-Restli-Protocol-Version", "2.0.0");
    req.headers.add("Content-Type", "application/json");
    req.body = std::move(body);
    return req;
}

class Publisher final : public PartPublisher {
  public:
    Publisher(const Account& account, Part part) : account_(account), part_(std::move(part)) {}

    PartStep start(Instant now) override {
        if (!is_author_urn(account_.user_id)) {
            return pd::bad_input(
                "LinkedIn: the account's author must be urn:li:person:{id} or "
                "urn:li:organization:{id}");
        }
        if (auto problem = pd::reply_refs_problem(part_, true); !problem.empty())
            return pd::bad_input("LinkedIn: " + problem);
        if (part_.text.empty())
            return pd::bad_input(fmt::format("LinkedIn: part {} has no text", part_.index));
        if (account_.linkedin.version.empty())
            return pd::bad_input("LinkedIn: no LinkedIn-Version configured");
        if (account_.access_token.empty()) return pd::no_token("LinkedIn");
        base_ = pd::or_default(account_.api_base, kDefaultApiBase);
        started_ = now;
        nlohmann::ordered_json body;
        if (part_.index == 1) {
            what_ = "LinkedIn post";
            commentary_ = escape_little_text(part_.text);
            body["author"] = account_.user_id;
            body["commentary"] = commentary_;
            body["visibility"] = "PUBLIC";
            body["distribution"]["feedDistribution"] = "MAIN_FEED";
            body["distribution"]["targetEntities"] = nlohmann::ordered_json::array();
            body["distribution"]["thirdPartyDistributionChannels"] =
                nlohmann::ordered_json::array();
            body["lifecycleState"] = "PUBLISHED";
            body["isReshareDisabledByAuthor"] = false;
        } else {
            what_ = "LinkedIn comment";
            if (part_.resume) {
                return make_failure(
                    FailureClass::ambiguous, "no_idempotency",
                    fmt::format(
                        "LinkedIn: an earlier attempt at comment part {} may have been "
                        "published and cannot be checked safely; check the post and resolve",
                        part_.index));
            }
            body["actor"] = account_.user_id;
            body["object"] = part_.root->id;
            body["message"]["text"] = part_.text;
        }
        auto text = dump_json(body);
        if (!text) return pd::bad_input("LinkedIn: part text is not valid UTF-8");
        body_ = std::move(*text);
        if (part_.index == 1 && part_.resume) {
            // Posts by author first (needs r_member_social); where the token may not read them,
            // the resend's DUPLICATE_POST answer names the original (platforms.md §2.6).
            resuming_ = true;
            return read_back(
                fmt::format("an earlier attempt at part {} may have been published", part_.index));
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
            case Stage::list:
                return on_list(outcome);
        }
        return pd::misuse("LinkedIn post");
    }

  private:
    enum class Stage { idle, create, list };

    PartStep create() {
        stage_ = Stage::create;
        if (part_.index == 1)
            return pd::send(json_post(account_, http::join_url(base_, "rest/posts"), body_, true));
        bool v2 = account_.linkedin.v2_comments;
        auto path = fmt::format("{}/socialActions/{}/comments", v2 ? "v2" : "rest",
                                http::percent_encode(part_.root->id));
        return pd::send(json_post(account_, http::join_url(base_, path), body_, !v2));
    }

    // GET /rest/posts?author=...&q=author: the author's latest posts (part 1 only).
    PartStep read_back(std::string first) {
        first_ = std::move(first);
        stage_ = Stage::list;
        http::HttpRequest req;
        req.method = "GET";
        req.url = http::with_query(
            http::join_url(base_, "rest/posts"),
            {{"author", account_.user_id}, {"q", "author"}, {"count", "20"}, {"sortBy", "CREATED"}});
        req.headers.add("Authorization", "Bearer " + account_.access_token);
        req.headers.add("LinkedIn-Version", account_.linkedin.version);
        req.headers.add("X-Restli-Protocol-Version", "2.0.0");
        req.headers.add("X-RestLi-Method", "FINDER");
        return pd::send(std::move(req));
    }

    PartStep unchecked(std::string_view why) {
        // The resend's DUPLICATE_POST answer is the other way to learn the original.
        if (resuming_) return create();
        return pd::unchecked_failure(what_, first_, why, part_.index);
    }

    PartStep on_create(const http::Outcome& outcome, Instant now) {
        const bool post = part_.index == 1;
        if (const auto* nr = std::get_if<http::NoResponse>(&outcome)) {
            if (post && nr->kind == http::NoResponseKind::lost && !resuming_) {
                return read_back(fmt::format("{} got no response ({})", what_,
                                             sanitize_message(nr->detail, {})));
            }
            return no_response_failure(*nr, false, what_);
        }
        const auto& r = std::get<http::HttpResponse>(outcome);
        if (!is_success(r.status)) {
            auto f = classify_error(r, now, what_, account_.access_token, true);
            if (f.code == "duplicate_content" && post && part_.resume) {
                // The earlier attempt went through: LinkedIn names the post it duplicates.
                if (auto urn = find_post_urn(parse_error(r.body).message); !urn.empty())
                    return published(urn);
            }
            if (post && f.cls == FailureClass::ambiguous && !resuming_) return read_back(f.message);
            if (f.code == "forbidden" && !post && !account_.linkedin.v2_comments) {
                f.message +=
                    " (if it names partnerApiSocialActions, enable the v2 comments endpoint)";
            }
            return f;
        }
        std::string urn(r.headers.get("x-restli-id").value_or(""));
        if (urn.empty()) {
            if (auto j = parse_json(r.body)) {
                urn = nonempty_string_member(*j, "$URN")
                          .value_or(nonempty_string_member(*j, "id").value_or(""));
            }
        }
        if (urn.rfind("urn:li:", 0) != 0) {
            auto message = fmt::format(
                "{} answered HTTP {} but neither the x-restli-id header nor the body holds a URN",
                what_, r.status);
            if (post && !resuming_) return read_back(message);
            return make_failure(FailureClass::ambiguous, "bad_response",
                                message + "; it may have been published", r.status);
        }
        return published(urn);
    }

    PartStep on_list(const http::Outcome& outcome) {
        const auto* r = std::get_if<http::HttpResponse>(&outcome);
        if (r == nullptr) return unchecked("the posts listing got no response");
        if (r->status == 401 || r->status == 403) {
            return unchecked(fmt::format(
                "the token cannot list the author's posts (HTTP {}; it needs r_member_social)",
                r->status));
        }
        if (!is_success(r->status))
            return unchecked(fmt::format("the posts listing failed with HTTP {}", r->status));
        auto j = parse_json(r->body);
        const nlohmann::json* elements = j ? member(*j, "elements") : nullptr;
        if (elements == nullptr || !elements->is_array())
            return unchecked("the posts listing has no elements array");
        std::vector<pd::ListedPost> items;
        for (const auto& e : *elements) {
            pd::ListedPost item;
            item.id = string_member(e, "id").value_or("");
            item.text = string_member(e, "commentary").value_or("");
            if (auto ms = integer_member(e, "createdAt"))
                item.created_at = Instant{std::chrono::milliseconds{*ms}};
            items.push_back(std::move(item));
        }
        bool more = false;
        if (const auto* paging = member(*j, "paging")) {
            if (const auto* links = member(*paging, "links"); links != nullptr && links->is_array()) {
                for (const auto& l : *links) more = more || string_member(l, "rel") == "next";
            }
        }
        auto found = pd::find_part(items, commentary_, "", false, more,
                                   pd::window_start(part_, started_), false);
        switch (found.verdict) {
            case pd::Verdict::found:
                if (found.id.rfind("urn:li:", 0) == 0) return published(found.id);
                return unchecked("the listed post has no URN");
            case pd::Verdict::absent:
                if (resuming_) return create();
                return pd::absent_failure(first_, "post", 0);
            case pd::Verdict::unknown:
                break;
        }
        return unchecked(found.why);
    }

    Published published(const std::string& urn) const {
        Published p;
        p.remote_id = urn;
        if (part_.index == 1) {
            p.url = post_url(account_, urn);
        } else {
            p.url = http::with_query(post_url(account_, part_.root->id), {{"commentUrn", urn}});
        }
        p.ref = PartRef{urn, "", p.url};
        return p;
    }

    const Account account_;
    Part part_;
    std::string base_;
    std::string body_;
    std::string commentary_;
    std::string what_ = "LinkedIn post";
    std::string first_;
    Instant started_{};
    Stage stage_ = Stage::idle;
    bool resuming_ = false;
};

}  // namespace

std::unique_ptr<PartPublisher> make_publisher(const Account& account, Part part) {
    return std::make_unique<Publisher>(account, std::move(part));
}

std::unique_ptr<WhoAmI> make_whoami(const Account& account) {
    return pd::make_bearer_whoami({
        .what = "LinkedIn who-am-I",
        .url = http::join_url(pd::or_default(account.api_base, kDefaultApiBase), "v2/userinfo"),
        .token = account.access_token,
        .classify = classify_error,
        .classify_flag = false,
        .id_field = "sub",
        .identity = [](const nlohmann::json& body) -> std::optional<Identity> {
            auto sub = nonempty_string_member(body, "sub");
            if (!sub) return std::nullopt;
            return Identity{*sub, "", string_member(body, "name").value_or("")};
        },
        .precondition = account.access_token.empty()
                            ? std::optional<Failure>(pd::no_token("LinkedIn"))
                            : std::nullopt,
    });
}

std::string escape_little_text(std::string_view text) {
    static constexpr std::string_view kReserved = "|{}@[]()<>#\\*_~";
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    for (char c : text) {
        if (kReserved.find(c) != std::string_view::npos) out.push_back('\\');
        out.push_back(c);
    }
    return out;
}

std::string post_url(const Account& account, std::string_view urn) {
    return http::join_url(pd::or_default(account.web_base, kDefaultWebBase),
                          fmt::format("feed/update/{}/", urn));
}

std::string find_post_urn(std::string_view message) {
    for (std::string_view prefix : {"urn:li:share:", "urn:li:ugcPost:"}) {
        auto pos = message.find(prefix);
        if (pos == std::string_view::npos) continue;
        auto end = pos + prefix.size();
        while (end < message.size() && message[end] >= '0' && message[end] <= '9') ++end;
        if (end > pos + prefix.size()) return std::string(message.substr(pos, end - pos));
    }
    return {};
}

}  // namespace growth::publish::linkedin
