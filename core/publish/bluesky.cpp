#include "core/publish/bluesky.hpp"

#include <date/date.h>
#include <fmt/format.h>

#include "core/http/encoding.hpp"
#include "core/publish/bluesky_record.hpp"
#include "core/publish/bluesky_session.hpp"
#include "core/publish/bluesky_tid.hpp"
#include "core/publish/json_fields.hpp"
#include "core/publish/machine.hpp"

namespace growth::publish::bluesky {

namespace {

namespace pd = publish::detail;
using detail::facet_problem;
using detail::kCollection;
using detail::post_record;

std::string iso_millis(Instant t) { return date::format("%FT%TZ", t); }

class Publisher final : public PartPublisher {
  public:
    Publisher(const Account& account, Part part)
        : account_(account), part_(std::move(part)), session_(account.session) {}

    PartStep start(Instant now) override {
        if (!is_tid(part_.idempotency_key)) {
            return pd::bad_input(
                "Bluesky: the record key must be a TID (13 base32-sortable characters)");
        }
        if (part_.text.empty())
            return pd::bad_input(fmt::format("Bluesky: part {} has no text", part_.index));
        if (auto problem = pd::reply_refs_problem(part_, true); !problem.empty())
            return pd::bad_input("Bluesky: " + problem);
        if (part_.index > 1 && (part_.parent->cid.empty() || part_.root->cid.empty())) {
            return pd::bad_input(
                fmt::format("Bluesky: part {} needs the CIDs of its parent and root", part_.index));
        }
        if (auto problem = facet_problem(part_.text, part_.facets); !problem.empty()) {
            return pd::bad_input("Bluesky: " + problem);
        }
        created_at_ = iso_millis(now);
        if (!dump_json(nlohmann::ordered_json(part_.text)))
            return pd::bad_input("Bluesky: part text is not valid UTF-8");
        verify_reason_ = part_.resume ? VerifyReason::resume : VerifyReason::none;
        if (session_.access_jwt.empty() || session_.did.empty()) return login("has no session");
        return after_session({});
    }

    PartStep feed(const http::Outcome& outcome, Instant now) override {
        Stage stage = stage_;
        stage_ = Stage::idle;
        switch (stage) {
            case Stage::idle:
                return pd::misuse("Bluesky post");
            case Stage::login:
            case Stage::refresh:
                return on_session(outcome, stage == Stage::refresh, now);
            case Stage::create:
                return on_create(outcome, now);
            case Stage::verify:
                return on_verify(outcome, now);
            case Stage::resolve:
                return on_resolve(outcome, now);
        }
        return pd::misuse("Bluesky post");
    }

  private:
    enum class Stage { idle, login, refresh, create, verify, resolve };
    enum class VerifyReason { none, resume, after_failure };

    bool can_login() const {
        return !account_.username.empty() && !account_.app_password.empty() && !relogged_;
    }

    PartStep login(std::string_view why) {
        if (!can_login()) {
            return make_failure(
                FailureClass::needs_login, relogged_ ? "login_failed" : "no_session",
                fmt::format("Bluesky account {} and no app password to log in with; log in again",
                            why));
        }
        relogged_ = true;
        stage_ = Stage::login;
        return pd::send(detail::create_session_request(account_));
    }

    PartStep after_session(Checkpoint checkpoint) {
        if (verify_reason_ != VerifyReason::none) {
            stage_ = Stage::verify;
            return Send{get_record_request(), std::move(checkpoint)};
        }
        return resolve_or_create(std::move(checkpoint));
    }

    // The index of the first mention facet still naming a handle (not a DID), or npos.
    std::size_t next_unresolved() const {
        for (std::size_t i = 0; i < part_.facets.size(); ++i) {
            const auto& f = part_.facets[i];
            if (f.kind == Facet::Kind::mention && f.value.rfind("did:", 0) != 0) return i;
        }
        return std::string::npos;
    }

    // Mentions must name DIDs: resolve handles (one request each) before creating the record.
    PartStep resolve_or_create(Checkpoint checkpoint) {
        if (auto i = next_unresolved(); i != std::string::npos) {
            std::string handle = part_.facets[i].value;
            if (!handle.empty() && handle.front() == '@') handle.erase(0, 1);
            http::HttpRequest req;
            req.method = "GET";
            req.url =
                http::with_query(detail::xrpc_url(account_, "com.atproto.identity.resolveHandle"),
                                 {{"handle", handle}});
            stage_ = Stage::resolve;
            return Send{std::move(req), std::move(checkpoint)};
        }
        stage_ = Stage::create;
        return Send{create_record_request(), std::move(checkpoint)};
    }

    PartStep on_resolve(const http::Outcome& outcome, Instant now) {
        auto i = next_unresolved();
        if (const auto* nr = std::get_if<http::NoResponse>(&outcome)) {
            auto f = no_response_failure(*nr, true, "Bluesky mention lookup");
            f.verify_on_retry = false;  // nothing was posted yet
            return f;
        }
        const auto& r = std::get<http::HttpResponse>(outcome);
        if (is_success(r.status)) {
            auto j = parse_json(r.body);
            auto did = j ? nonempty_string_member(*j, "did") : std::nullopt;
            if (!did || did->rfind("did:", 0) != 0) {
                return make_failure(
                    FailureClass::retry_safe, "bad_response",
                    fmt::format(
                        "Bluesky resolveHandle answered HTTP {} but did is missing or not a DID",
                        r.status),
                    r.status);
            }
            part_.facets[i].value = *did;
        } else if (r.status == 400 || r.status == 404) {
            // An unknown handle stays plain text, as Bluesky's own clients do.
            part_.facets.erase(part_.facets.begin() + static_cast<std::ptrdiff_t>(i));
        } else {
            auto f =
                detail::classify_error(r, now, "Bluesky mention lookup", true, account_, session_);
            f.verify_on_retry = false;
            if (f.cls == FailureClass::ambiguous) f.cls = FailureClass::retry_safe;
            return f;
        }
        return resolve_or_create({});
    }

    http::HttpRequest create_record_request() const {
        nlohmann::ordered_json body;
        body["repo"] = session_.did;
        body["collection"] = kCollection;
        body["rkey"] = part_.idempotency_key;
        body["record"] = post_record(part_, created_at_, account_.bluesky.langs);
        http::HttpRequest req;
        req.method = "POST";
        req.url = detail::xrpc_url(account_, "com.atproto.repo.createRecord");
        req.headers.add("Authorization", "Bearer " + session_.access_jwt);
        req.headers.add("Content-Type", "application/json");
        req.body = dump_json(body).value_or("{}");  // UTF-8 validity was checked in start()
        return req;
    }

    http::HttpRequest get_record_request() const {
        http::HttpRequest req;
        req.method = "GET";
        req.url = http::with_query(detail::xrpc_url(account_, "com.atproto.repo.getRecord"),
                                   {{"repo", session_.did},
                                    {"collection", std::string(kCollection)},
                                    {"rkey", part_.idempotency_key}});
        return req;
    }

    PartStep on_session(const http::Outcome& outcome, bool refreshing, Instant now) {
        auto result = detail::parse_session(outcome, refreshing, session_, account_, now);
        if (auto* f = std::get_if<Failure>(&result)) {
            if (refreshing && f->cls == FailureClass::needs_login && can_login())
                return login("session has expired");
            return *f;
        }
        session_ = std::get<BlueskySession>(result);
        Checkpoint cp;
        cp.session = session_;
        return after_session(std::move(cp));
    }

    // Builds the success from a createRecord/getRecord body; nullopt names the problem.
    std::optional<Published> published_from(const http::HttpResponse& r,
                                            std::string& problem) const {
        auto j = parse_json(r.body);
        if (!j) {
            problem = "the body is not JSON";
            return std::nullopt;
        }
        auto uri = nonempty_string_member(*j, "uri");
        auto cid = nonempty_string_member(*j, "cid");
        std::string did, rkey;
        if (!uri || !split_at_uri(*uri, did, rkey)) {
            problem = "uri is missing or not an at:// URI";
            return std::nullopt;
        }
        if (!cid) {
            problem = "cid is missing or not a string";
            return std::nullopt;
        }
        Published p;
        p.remote_id = *uri;
        p.url = post_url(account_, did, rkey);
        p.ref = PartRef{*uri, *cid, p.url};
        return p;
    }

    // How the record in a getRecord body differs from this part ("" when it is the same post;
    // nullopt when the body has no record to compare): its text, and its reply refs (none for
    // part 1, our parent and root for a reply).
    std::optional<std::string> record_difference(const std::string& body) const {
        auto j = parse_json(body);
        const nlohmann::json* value = j ? member(*j, "value") : nullptr;
        if (value == nullptr || !value->is_object()) return std::nullopt;
        if (string_member(*value, "text") != part_.text) return "its text differs";
        const nlohmann::json* reply = member(*value, "reply");
        if (part_.index == 1) return std::string(reply == nullptr ? "" : "it is a reply");
        if (reply == nullptr) return "it is not a reply";
        auto ref_is = [&](const char* which, const PartRef& want) {
            const nlohmann::json* ref = member(*reply, which);
            return ref != nullptr && string_member(*ref, "uri") == want.id &&
                   string_member(*ref, "cid") == want.cid;
        };
        if (!ref_is("parent", *part_.parent)) return "it replies to another post";
        if (!ref_is("root", *part_.root)) return "it belongs to another thread";
        return std::string();
    }

    PartStep on_create(const http::Outcome& outcome, Instant now) {
        if (const auto* nr = std::get_if<http::NoResponse>(&outcome)) {
            if (nr->kind == http::NoResponseKind::not_sent)
                return no_response_failure(*nr, true, "Bluesky post");
            return verify_after_failure();
        }
        const auto& r = std::get<http::HttpResponse>(outcome);
        if (is_success(r.status)) {
            std::string problem;
            if (auto p = published_from(r, problem)) return *p;
            return verify_after_failure();  // created, but we need its CID: read it back
        }
        if (detail::is_token_error(r)) {
            if (!refreshed_ && !session_.refresh_jwt.empty()) {
                refreshed_ = true;
                stage_ = Stage::refresh;
                return pd::send(detail::refresh_session_request(account_, session_));
            }
            return login("session was refused");
        }
        if (r.status >= 500) return verify_after_failure();
        return detail::classify_error(r, now, "Bluesky post", true, account_, session_);
    }

    PartStep verify_after_failure() {
        verify_reason_ = VerifyReason::after_failure;
        stage_ = Stage::verify;
        return pd::send(get_record_request());
    }

    PartStep on_verify(const http::Outcome& outcome, Instant now) {
        auto unchecked = [&](std::string code, std::string message, int status) {
            auto f =
                make_failure(FailureClass::retry_safe, std::move(code), std::move(message), status);
            f.verify_on_retry =
                true;  // still unknown: the next attempt checks again before creating
            return f;
        };
        if (const auto* nr = std::get_if<http::NoResponse>(&outcome)) {
            return unchecked(
                "connection_lost",
                fmt::format("Bluesky post could not be checked ({}); a retry with the same record "
                            "key cannot duplicate it",
                            sanitize_message(nr->detail, {})),
                0);
        }
        const auto& r = std::get<http::HttpResponse>(outcome);
        if (is_success(r.status)) {
            std::string problem;
            if (auto p = published_from(r, problem)) {
                // Our key holds a record: it is ours only if it says what we sent.
                auto diff = record_difference(r.body);
                if (!diff) {
                    return unchecked("bad_response",
                                     fmt::format("Bluesky getRecord answered HTTP {} but the "
                                                 "record value is missing",
                                                 r.status),
                                     r.status);
                }
                if (!diff->empty()) {
                    return make_failure(
                        FailureClass::permanent, "record_key_conflict",
                        fmt::format("Bluesky: record key {} already holds a different post ({}); "
                                    "part {} was not published and growth will not overwrite it",
                                    part_.idempotency_key, *diff, part_.index),
                        r.status);
                }
                return *p;
            }
            return unchecked(
                "bad_response",
                fmt::format("Bluesky getRecord answered HTTP {} but {}", r.status, problem),
                r.status);
        }
        auto e = detail::parse_xrpc_error(r.body);
        if ((r.status == 400 || r.status == 404) && e.name == "RecordNotFound") {
            if (verify_reason_ == VerifyReason::resume) {
                verify_reason_ = VerifyReason::none;  // never applied: create it now
                return resolve_or_create({});
            }
            return make_failure(FailureClass::retry_safe, "not_published",
                                "Bluesky post failed and was not created; safe to retry", r.status);
        }
        auto f = detail::classify_error(r, now, "Bluesky post check", true, account_, session_);
        if (f.cls == FailureClass::permanent) f.cls = FailureClass::retry_safe;
        f.verify_on_retry = true;
        return f;
    }

    const Account account_;
    Part part_;
    BlueskySession session_;
    std::string created_at_;
    Stage stage_ = Stage::idle;
    VerifyReason verify_reason_ = VerifyReason::none;
    bool refreshed_ = false;
    bool relogged_ = false;
};

}  // namespace

std::unique_ptr<PartPublisher> make_publisher(const Account& account, Part part) {
    return std::make_unique<Publisher>(account, std::move(part));
}

std::string post_url(const Account& account, std::string_view did, std::string_view rkey) {
    return http::join_url(pd::or_default(account.web_base, kDefaultWebBase),
                          fmt::format("profile/{}/post/{}", did, rkey));
}

bool split_at_uri(std::string_view uri, std::string& did, std::string& rkey) {
    constexpr std::string_view kScheme = "at://";
    if (uri.substr(0, kScheme.size()) != kScheme) return false;
    uri.remove_prefix(kScheme.size());
    auto first = uri.find('/');
    if (first == std::string_view::npos || first == 0) return false;
    auto second = uri.find('/', first + 1);
    if (second == std::string_view::npos || second == first + 1 || second + 1 >= uri.size())
        return false;
    if (uri.find('/', second + 1) != std::string_view::npos) return false;
    did.assign(uri.substr(0, first));
    rkey.assign(uri.substr(second + 1));
    return true;
}

}  // namespace growth::publish::bluesky
