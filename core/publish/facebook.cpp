#include "core/publish/facebook.hpp"

#include <fmt/format.h>

#include "core/http/encoding.hpp"
#include "core/publish/json_fields.hpp"
#include "core/publish/machine.hpp"
#include "core/publish/meta_graph.hpp"

namespace growth::publish::facebook {

namespace {

namespace pd = publish::detail;

class Publisher final : public PartPublisher {
  public:
    Publisher(const Account& account, Part part) : account_(account), part_(std::move(part)) {}

    PartStep start(Instant /*now*/) override {
        if (account_.user_id.empty()) return pd::bad_input("Facebook: the account has no Page id");
        if (auto problem = pd::reply_refs_problem(part_, true); !problem.empty())
            return pd::bad_input("Facebook: " + problem);
        if (part_.text.empty() && part_.media_url.empty()) {
            return pd::bad_input(fmt::format("Facebook: part {} has no text", part_.index));
        }
        if (account_.access_token.empty()) return pd::no_token("Facebook");
        if (part_.resume) {
            return make_failure(
                FailureClass::ambiguous, "no_idempotency",
                fmt::format(
                    "Facebook: an earlier attempt at part {} may have been published and the "
                    "Graph API offers no way to check it safely; check the Page and resolve",
                    part_.index));
        }
        auto base = pd::or_default(account_.api_base, kDefaultApiBase);
        sent_ = true;
        if (part_.index > 1) {
            what_ = "Facebook comment";
            return pd::send(meta::form_post(
                http::join_url(base, http::percent_encode(part_.root->id) + "/comments"),
                {{"message", part_.text}}, account_.access_token));
        }
        auto page = http::percent_encode(account_.user_id);
        if (!part_.media_url.empty()) {
            what_ = "Facebook photo post";
            return pd::send(meta::form_post(http::join_url(base, page + "/photos"),
                                            {{"url", part_.media_url}, {"caption", part_.text}},
                                            account_.access_token));
        }
        what_ = "Facebook post";
        return pd::send(meta::form_post(http::join_url(base, page + "/feed"),
                                        {{"message", part_.text}}, account_.access_token));
    }

    PartStep feed(const http::Outcome& outcome, Instant now) override {
        if (!sent_) return pd::misuse("Facebook post");
        sent_ = false;
        if (const auto* nr = std::get_if<http::NoResponse>(&outcome))
            return no_response_failure(*nr, false, what_);
        const auto& r = std::get<http::HttpResponse>(outcome);
        if (!is_success(r.status))
            return meta::classify_error(r, now, true, what_, account_.access_token);
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
            return make_failure(
                FailureClass::ambiguous, "bad_response",
                fmt::format("{} answered HTTP {} but {}; it may have been published", what_,
                            r.status, problem),
                r.status);
        }
        Published p;
        p.remote_id = *id;
        if (part_.index == 1) {
            p.url = post_url(account_, *id);
        } else {
            const auto& root = *part_.root;
            p.url = comment_url(root.url.empty() ? post_url(account_, root.id) : root.url, *id);
        }
        p.ref = PartRef{*id, "", p.url};
        return p;
    }

  private:
    const Account account_;
    Part part_;
    std::string what_ = "Facebook post";
    bool sent_ = false;
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
