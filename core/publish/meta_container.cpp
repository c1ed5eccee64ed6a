#include "core/publish/meta_container.hpp"

#include <fmt/format.h>

#include "core/publish/json_fields.hpp"
#include "core/publish/machine.hpp"
#include "core/publish/meta_graph.hpp"

namespace growth::publish::meta {

namespace {

namespace pd = publish::detail;
using std::chrono::minutes;

// How often one machine may try media_publish, and recreate an expired container, before it
// hands control back to the caller.
constexpr int kMaxPublishAttempts = 2;
constexpr int kMaxCreates = 2;

class ContainerPublisher final : public PartPublisher {
  public:
    ContainerPublisher(const ContainerFlavor& flavor, const Account& account, Part part)
        : flavor_(flavor),
          account_(account),
          part_(std::move(part)),
          container_id_(part_.container_id) {
        base_ = pd::or_default(account_.api_base, flavor_.default_api_base);
        user_ = pd::or_default(account_.user_id, flavor_.default_user);
    }

    PartStep start(Instant /*now*/) override {
        std::string who(flavor_.display);
        if (user_.empty()) return pd::bad_input(who + ": the account has no user id");
        bool comment = part_.index > 1 && !flavor_.replies_are_containers;
        if (auto problem = pd::reply_refs_problem(part_, comment); !problem.empty())
            return pd::bad_input(who + ": " + problem);
        if (auto problem = flavor_.part_problem(part_); !problem.empty())
            return pd::bad_input(who + ": " + problem);
        if (account_.access_token.empty()) return pd::no_token(flavor_.display);
        if (comment) {
            if (part_.resume) {
                return make_failure(
                    FailureClass::ambiguous, "no_idempotency",
                    fmt::format("{}: an earlier attempt at comment part {} may have been published "
                                "and cannot be checked safely; check the post and resolve",
                                who, part_.index));
            }
            stage_ = Stage::comment;
            return pd::send(
                form_post(http::join_url(base_, http::percent_encode(part_.root->id) + "/comments"),
                          {{"message", part_.text}}, account_.access_token));
        }
        // A committed container may already be published (or expired): look before acting.
        if (!container_id_.empty()) return status_check();
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
            case Stage::publish:
                return on_publish(outcome, now);
            case Stage::status:
                return on_status(outcome, now);
            case Stage::permalink:
                return on_permalink(outcome);
            case Stage::list:
                return on_list(outcome, now);
            case Stage::comment:
                return on_comment(outcome, now);
        }
        return pd::misuse(std::string(flavor_.display) + " post");
    }

  private:
    enum class Stage { idle, create, publish, status, permalink, list, comment };

    std::string what(std::string_view step) const {
        return fmt::format("{} {}", flavor_.display, step);
    }
    const std::string& token() const { return account_.access_token; }
    bool lists_replies() const { return flavor_.replies_are_containers && part_.index > 1; }

    PartStep create() {
        ++creates_;
        stage_ = Stage::create;
        return pd::send(form_post(http::join_url(base_, http::percent_encode(user_) + "/" +
                                                            std::string(flavor_.create_edge)),
                                  flavor_.container_params(part_), token()));
    }

    PartStep publish(Checkpoint checkpoint) {
        ++publishes_;
        stage_ = Stage::publish;
        return Send{form_post(http::join_url(base_, http::percent_encode(user_) + "/" +
                                                        std::string(flavor_.publish_edge)),
                              {{"creation_id", container_id_}}, token()),
                    std::move(checkpoint)};
    }

    PartStep status_check() {
        stage_ = Stage::status;
        return pd::send(get(http::join_url(base_, http::percent_encode(container_id_)),
                            {{"fields", std::string(flavor_.status_fields)}}, token()));
    }

    // Unknown but checkable: the next attempt starts with a status check of the container.
    Failure recheck(Failure f) {
        f.cls = f.cls == FailureClass::ambiguous || f.cls == FailureClass::permanent
                    ? FailureClass::retry_safe
                    : f.cls;
        f.verify_on_retry = true;
        return f;
    }

    // A failed check of a possibly published container: transient and login/rate-limit
    // failures are checked again on the next attempt; a refusal leaves it to the user.
    Failure unresolved(Failure f) {
        f.verify_on_retry = true;
        if (f.cls == FailureClass::permanent) {
            f.cls = FailureClass::ambiguous;
            f.verify_on_retry = false;
            f.message +=
                fmt::format("; whether container {} was published is unknown", container_id_);
        }
        return f;
    }

    PartStep on_create(const http::Outcome& outcome, Instant now) {
        // A container is invisible until published, so a lost or failed create is harmless.
        if (const auto* nr = std::get_if<http::NoResponse>(&outcome)) {
            auto f = no_response_failure(*nr, true, what("container"));
            f.verify_on_retry = false;
            return f;
        }
        const auto& r = std::get<http::HttpResponse>(outcome);
        if (!is_success(r.status)) return classify_error(r, now, false, what("container"), token());
        auto id = parse_id(r.body);
        if (!id) {
            return make_failure(
                FailureClass::retry_safe, "bad_response",
                fmt::format("{} container answered HTTP {} but id is missing or not a string",
                            flavor_.display, r.status),
                r.status);
        }
        container_id_ = *id;
        Checkpoint cp;
        cp.container_id = container_id_;
        return publish(std::move(cp));
    }

    PartStep on_publish(const http::Outcome& outcome, Instant now) {
        if (const auto* nr = std::get_if<http::NoResponse>(&outcome)) {
            if (nr->kind == http::NoResponseKind::not_sent)
                return no_response_failure(*nr, true, what("publish"));
            return status_check();
        }
        const auto& r = std::get<http::HttpResponse>(outcome);
        if (r.status >= 500) return status_check();
        if (!is_success(r.status)) {
            if (auto g = parse_graph_error(r.body); g && g->code == 9007) {
                // Instagram: "media not ready" (platforms.md marks IG codes unconfirmed).
                auto f =
                    make_failure(FailureClass::retry_safe, "container_not_ready",
                                 fmt::format("{} container is not ready yet: {}", flavor_.display,
                                             sanitize_message(g->message, {token()})),
                                 r.status);
                f.retry_at = now + minutes{1};
                f.verify_on_retry = true;
                return f;
            }
            auto f = classify_error(r, now, true, what("publish"), token());
            // A temporary error may still have published it: the container's status tells.
            if (f.cls == FailureClass::ambiguous) return status_check();
            return f;
        }
        auto id = parse_id(r.body);
        if (!id) return status_check();  // published, id unreadable: find it from the container
        media_id_ = *id;
        return permalink();
    }

    PartStep permalink() {
        stage_ = Stage::permalink;
        return pd::send(get(http::join_url(base_, http::percent_encode(media_id_)),
                            {{"fields", "permalink"}}, token()));
    }

    Published published(std::string url) const {
        Published p;
        p.remote_id = media_id_;
        p.url = std::move(url);
        p.ref = PartRef{media_id_, "", p.url};
        return p;
    }

    PartStep on_permalink(const http::Outcome& outcome) {
        // The post is out; a failed permalink lookup must not turn it into a failure.
        const auto* r = std::get_if<http::HttpResponse>(&outcome);
        if (r == nullptr || !is_success(r->status)) return published("");
        auto j = parse_json(r->body);
        return published(j ? nonempty_string_member(*j, "permalink").value_or("") : "");
    }

    PartStep on_status(const http::Outcome& outcome, Instant now) {
        if (const auto* nr = std::get_if<http::NoResponse>(&outcome)) {
            return recheck(no_response_failure(*nr, true, what("container status check")));
        }
        const auto& r = std::get<http::HttpResponse>(outcome);
        if (!is_success(r.status)) {
            return unresolved(
                classify_error(r, now, false, what("container status check"), token()));
        }
        auto j = parse_json(r.body);
        auto status = j ? nonempty_string_member(*j, flavor_.status_field) : std::nullopt;
        if (!status) {
            return recheck(make_failure(
                FailureClass::retry_safe, "bad_response",
                fmt::format("{} container status answered HTTP {} but {} is missing or "
                            "not a string",
                            flavor_.display, r.status, flavor_.status_field),
                r.status));
        }
        if (*status == "FINISHED") {
            if (publishes_ >= kMaxPublishAttempts) {
                return recheck(
                    make_failure(FailureClass::retry_safe, "publish_unconfirmed",
                                 fmt::format("{} publish did not answer; the container is still "
                                             "unpublished, so a retry is safe",
                                             flavor_.display)));
            }
            return publish({});
        }
        if (*status == "PUBLISHED") {
            stage_ = Stage::list;
            if (lists_replies()) {
                // /{user}/threads lists top-level posts only: a reply is found among its
                // parent's replies.
                return pd::send(get(
                    http::join_url(base_, http::percent_encode(part_.parent->id) + "/replies"),
                    {{"fields", std::string(flavor_.list_fields)}, {"limit", "25"}}, token()));
            }
            return pd::send(get(http::join_url(base_, http::percent_encode(user_) + "/" +
                                                          std::string(flavor_.list_edge)),
                                {{"fields", std::string(flavor_.list_fields)}, {"limit", "5"}},
                                token()));
        }
        if (*status == "IN_PROGRESS") {
            auto f = make_failure(FailureClass::retry_safe, "container_in_progress",
                                  fmt::format("{} container is still processing", flavor_.display));
            f.retry_at = now + minutes{1};
            f.verify_on_retry = true;
            return f;
        }
        if (*status == "EXPIRED" && creates_ < kMaxCreates) {
            container_id_.clear();
            return create();
        }
        std::string detail = j ? string_member(*j, "error_message").value_or("") : "";
        return make_failure(
            FailureClass::permanent, *status == "EXPIRED" ? "container_expired" : "media_error",
            fmt::format("{} container ended in status {}{}", flavor_.display,
                        sanitize_message(*status, {}),
                        detail.empty() ? "" : ": " + sanitize_message(detail, {token()})),
            r.status);
    }

    PartStep on_list(const http::Outcome& outcome, Instant now) {
        const auto* r = std::get_if<http::HttpResponse>(&outcome);
        if (r != nullptr && !is_success(r->status)) {
            return unresolved(classify_error(*r, now, false, what("recent posts lookup"), token()));
        }
        if (r == nullptr) {
            return recheck(no_response_failure(std::get<http::NoResponse>(outcome), true,
                                               what("recent posts lookup")));
        }
        auto j = parse_json(r->body);
        const nlohmann::json* data = j ? member(*j, "data") : nullptr;
        if (data != nullptr && data->is_array()) {
            for (const auto& item : *data) {
                auto text = string_member(item, flavor_.text_field);
                auto id = nonempty_string_member(item, "id");
                if (id && text && *text == part_.text) {
                    media_id_ = *id;
                    return published(string_member(item, "permalink").value_or(""));
                }
            }
        }
        return make_failure(
            FailureClass::ambiguous, "published_id_unknown",
            fmt::format("{} container {} was published, but the post was not found among {}; "
                        "check the account and resolve",
                        flavor_.display, container_id_,
                        lists_replies() ? fmt::format("the 25 latest replies to {}",
                                                      part_.parent->id)
                                        : std::string("the 5 most recent")));
    }

    PartStep on_comment(const http::Outcome& outcome, Instant now) {
        if (const auto* nr = std::get_if<http::NoResponse>(&outcome))
            return no_response_failure(*nr, false, what("comment"));
        const auto& r = std::get<http::HttpResponse>(outcome);
        if (!is_success(r.status)) return classify_error(r, now, true, what("comment"), token());
        auto id = parse_id(r.body);
        if (!id) {
            return make_failure(
                FailureClass::ambiguous, "bad_response",
                fmt::format("{} comment answered HTTP {} but id is missing or not a string; it may "
                            "have been published",
                            flavor_.display, r.status),
                r.status);
        }
        Published p;
        p.remote_id = *id;
        p.url = part_.root->url;  // comments have no page of their own
        p.ref = PartRef{*id, "", p.url};
        return p;
    }

    const ContainerFlavor& flavor_;
    const Account account_;
    Part part_;
    std::string base_;
    std::string user_;
    std::string container_id_;
    std::string media_id_;
    Stage stage_ = Stage::idle;
    int publishes_ = 0;
    int creates_ = 0;
};

}  // namespace

std::unique_ptr<PartPublisher> make_container_publisher(const ContainerFlavor& flavor,
                                                        const Account& account, Part part) {
    return std::make_unique<ContainerPublisher>(flavor, account, std::move(part));
}

}  // namespace growth::publish::meta
