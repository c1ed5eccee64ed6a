#include "core/publish/facebook.hpp"

#include <fmt/format.h>

#include "core/http/encoding.hpp"
#include "core/publish/json_fields.hpp"
#include "core/publish/machine.hpp"
#include "core/publish/meta_graph.hpp"
#include "core/publish/rate_limit.hpp"
#include "core/publish/read_back.hpp"

namespace growth::publish::facebook {

namespace {

namespace pd = publish::detail;

class Publisher final : public PartPublisher {
  public:
    Publisher(const Account& account, Part part) : account_(account), part_(std::move(part)) {}

    PartStep start(Instant now) override {
        if (account_.user_id.empty()) return pd::bad_input("Facebook: the account has no Page id");
        if (auto problem = pd::reply_refs_problem(part_, true); !problem.empty())
            return pd::bad_input("Facebook: " + problem);
        if (part_.text.empty() && part_.media_url.empty()) {
            return pd::bad_input(fmt::format("Facebook: part {} has no text", part_.index));
        }
        if (account_.access_token.empty()) return pd::no_token("Facebook");
        base_ = pd::or_default(account_.api_base, kDefaultApiBase);
        started_ = now;
        if (part_.index > 1) what_ = "Facebook comment";
        else if (!part_.media_url.empty()) what_ = "Facebook photo post";
        // The Graph API has no idempotency: an earlier attempt that may have gone through is
        // looked up in the Page feed (or the post's comments) before anything is sent again.
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
            case Stage::list:
                return on_list(outcome);
        }
        return pd::misuse("Facebook post");
    }

  private:
    enum class Stage { idle, create, list };

    PartStep create() {
        stage_ = Stage::create;
        if (part_.index > 1) {
            return pd::send(meta::form_post(
                http::join_url(base_, http::percent_encode(part_.root->id) + "/comments"),
                {{"message", part_.text}}, account_.access_token));
        }
        auto page = http::percent_encode(account_.user_id);
        if (!part_.media_url.empty()) {
            return pd::send(meta::form_post(http::join_url(base_, page + "/photos"),
                                            {{"url", part_.media_url}, {"caption", part_.text}},
                                            account_.access_token));
        }
        return pd::send(meta::form_post(http::join_url(base_, page + "/feed"),
                                        {{"message", part_.text}}, account_.access_token));
    }

    // Part 1: GET /{page-id}/feed since the attempt; a comment: GET /{post-id}/comments, newest
    // first (platforms.md §3.6).
    PartStep read_back(std::string first, int status) {
        first_ = std::move(first);
        status_ = status;
        if (part_.text.empty()) return unchecked("a post without text cannot be matched");
        stage_ = Stage::list;
        const auto from = std::chrono::floor<std::chrono::seconds>(
            pd::window_start(part_, started_));
        if (part_.index > 1) {
            return pd::send(meta::get(
                http::join_url(base_, http::percent_encode(part_.root->id) + "/comments"),
                {{"fields", "id,message,created_time,parent"},
                 {"filter", "toplevel"},
                 {"order", "reverse_chronological"},
                 {"limit", "50"}},
                account_.access_token));
        }
        return pd::send(meta::get(
            http::join_url(base_, http::percent_encode(account_.user_id) + "/feed"),
            {{"fields", "id,message,created_time"},
             {"since", std::to_string(from.time_since_epoch().count())},
             {"limit", "25"}},
            account_.access_token));
    }

    Failure unchecked(std::string_view why) const {
        return pd::unchecked_failure(what_, first_, why, part_.index);
    }

    PartStep on_create(const http::Outcome& outcome, Instant now) {
        if (const auto* nr = std::get_if<http::NoResponse>(&outcome)) {
            if (nr->kind == http::NoResponseKind::not_sent)
                return no_response_failure(*nr, false, what_);
            return read_back(
                fmt::format("{} got no response ({})", what_, sanitize_message(nr->detail, {})),
                0);
        }
        const auto& r = std::get<http::HttpResponse>(outcome);
        if (!is_success(r.status)) {
            auto f = meta::classify_error(r, now, true, what_, account_.access_token);
            // A 5xx or a "temporary" Graph error on a create may have been applied: look.
            if (f.cls == FailureClass::ambiguous) return read_back(f.message, r.status);
            if (f.code == "duplicate_content" && resuming_) {
                // The feed did not show it, but Graph refuses the same message again: the
                // earlier attempt most likely went through (platforms.md §3.6).
                f.cls = FailureClass::ambiguous;
                f.code = "duplicate_after_lost";
                f.message += "; the earlier attempt was most likely published: check the Page "
                             "and resolve it";
                if (!duplicate_) {
                    // It may have been applied only after the feed was read: read it once more.
                    duplicate_ = std::move(f);
                    return read_back(duplicate_->message, r.status);
                }
            }
            return f;
        }
        auto j = parse_json(r.body);
        std::optional<std::string> id;
        std::string problem;
        if (!j) {
            problem = "the body is not JSON";
        } else if (part_.index == 1 && !part_.media_url.empty()) {
            // A photo answers {"id":photo-id,"post_id":page_post}; the post is what comments attach
            // to.
            id = nonempty_string_member(*j, "post_id");
            if (!id) problem = "post_id is missing or not a string";
        } else {
            id = nonempty_string_member(*j, "id");
            if (!id) problem = "id is missing or not a string";
        }
        if (!id) {
            return read_back(fmt::format("{} answered HTTP {} but {}", what_, r.status, problem),
                             r.status);
        }
        return published(*id);
    }

    PartStep on_list(const http::Outcome& outcome) {
        const auto* r = std::get_if<http::HttpResponse>(&outcome);
        if (r == nullptr) return unchecked("the listing got no response");
        if (!is_success(r->status)) {
            auto g = meta::parse_graph_error(r->body);
            return unchecked(fmt::format(
                "the listing failed with HTTP {}{}", r->status,
                g ? fmt::format(", code {}", g->code) : std::string()));
        }
        auto j = parse_json(r->body);
        const nlohmann::json* data = j ? member(*j, "data") : nullptr;
        if (data == nullptr || !data->is_array()) return unchecked("the listing has no data array");
        std::vector<pd::ListedPost> items;
        for (const auto& o : *data) {
            pd::ListedPost item;
            item.id = string_member(o, "id").value_or("");
            item.text = string_member(o, "message").value_or("");
            if (auto at = string_member(o, "created_time")) item.created_at = parse_iso8601(*at);
            if (part_.index > 1) {
                const auto* parent = member(o, "parent");
                item.parent = parent != nullptr ? string_member(*parent, "id").value_or("?")
                                                : std::string();
            }
            items.push_back(std::move(item));
        }
        const auto* paging = member(*j, "paging");
        const bool more = paging != nullptr && member(*paging, "next") != nullptr;
        auto found = pd::find_part(items, part_.text, "", false, more,
                                   pd::window_start(part_, started_), false);
        switch (found.verdict) {
            case pd::Verdict::found:
                return published(found.id);
            case pd::Verdict::absent:
                if (duplicate_) return *duplicate_;
                if (resuming_) return create();
                return pd::absent_failure(first_, part_.index > 1 ? "comment" : "post", status_);
            case pd::Verdict::unknown:
                break;
        }
        return unchecked(found.why);
    }

    Published published(const std::string& id) const {
        Published p;
        p.remote_id = id;
        if (part_.index == 1) {
            p.url = post_url(account_, id);
        } else {
            const auto& root = *part_.root;
            p.url = comment_url(root.url.empty() ? post_url(account_, root.id) : root.url, id);
        }
        p.ref = PartRef{id, "", p.url};
        return p;
    }

    const Account account_;
    Part part_;
    std::string base_;
    std::string what_ = "Facebook post";
    std::string first_;
    Instant started_{};
    Stage stage_ = Stage::idle;
    int status_ = 0;
    bool resuming_ = false;
    /// Graph called the resumed re-send a duplicate: what the part ends with unless the second
    /// read-back finds it.
    std::optional<Failure> duplicate_;
};

class Who final : public WhoAmI {
  public:
    explicit Who(const Account& account) : account_(account) {}

    WhoAmIStep start(Instant /*now*/) override {
        if (account_.access_token.empty()) return pd::no_token("Facebook");
        sent_ = true;
        return pd::send(
            meta::get(http::join_url(pd::or_default(account_.api_base, kDefaultApiBase), "me"),
                      {{"fields", "id,name"}}, account_.access_token));
    }

    WhoAmIStep feed(const http::Outcome& outcome, Instant now) override {
        if (!sent_) return pd::misuse("Facebook who-am-I");
        sent_ = false;
        if (const auto* nr = std::get_if<http::NoResponse>(&outcome)) {
            return no_response_failure(*nr, true, "Facebook who-am-I");
        }
        const auto& r = std::get<http::HttpResponse>(outcome);
        if (!is_success(r.status))
            return meta::classify_error(r, now, false, "Facebook who-am-I", account_.access_token);
        auto j = parse_json(r.body);
        auto id = j ? nonempty_string_member(*j, "id") : std::nullopt;
        if (!id) {
            return make_failure(
                FailureClass::retry_safe, "bad_response",
                fmt::format("Facebook who-am-I answered HTTP {} but id is missing or not a string",
                            r.status),
                r.status);
        }
        return Identity{*id, "", string_member(*j, "name").value_or("")};
    }

  private:
    const Account account_;
    bool sent_ = false;
};

}  // namespace

std::unique_ptr<PartPublisher> make_publisher(const Account& account, Part part) {
    return std::make_unique<Publisher>(account, std::move(part));
}

std::unique_ptr<WhoAmI> make_whoami(const Account& account) {
    return std::make_unique<Who>(account);
}

std::string post_url(const Account& account, std::string_view post_id) {
    auto web = pd::or_default(account.web_base, kDefaultWebBase);
    auto underscore = post_id.find('_');
    if (underscore == std::string_view::npos) return http::join_url(web, post_id);
    return http::join_url(web, fmt::format("{}/posts/{}", post_id.substr(0, underscore),
                                           post_id.substr(underscore + 1)));
}

std::string comment_url(std::string_view post_url, std::string_view comment_id) {
    auto underscore = comment_id.find('_');
    auto tail =
        underscore == std::string_view::npos ? comment_id : comment_id.substr(underscore + 1);
    return http::with_query(std::string(post_url), {{"comment_id", std::string(tail)}});
}

}  // namespace growth::publish::facebook
