#include "core/publish/bluesky.hpp"

#include <fmt/format.h>

#include "core/publish/bluesky_session.hpp"
#include "core/publish/json_fields.hpp"
#include "core/publish/machine.hpp"

// Bluesky who-am-I: com.atproto.server.getSession, logging in or refreshing first when the
// stored session is missing or expired (the new session comes out as a Checkpoint).

namespace growth::publish::bluesky {

namespace {

namespace pd = publish::detail;

class Who final : public WhoAmI {
  public:
    explicit Who(const Account& account) : account_(account), session_(account.session) {}

    WhoAmIStep start(Instant /*now*/) override {
        if (session_.access_jwt.empty()) return login();
        return get_session({});
    }

    WhoAmIStep feed(const http::Outcome& outcome, Instant now) override {
        Stage stage = stage_;
        stage_ = Stage::idle;
        if (stage == Stage::idle) return pd::misuse("Bluesky who-am-I");
        if (stage == Stage::login || stage == Stage::refresh) {
            auto result =
                detail::parse_session(outcome, stage == Stage::refresh, session_, account_, now);
            if (auto* f = std::get_if<Failure>(&result)) {
                if (stage == Stage::refresh && f->cls == FailureClass::needs_login && can_login())
                    return login();
                return *f;
            }
            session_ = std::get<BlueskySession>(result);
            Checkpoint cp;
            cp.session = session_;
            return get_session(std::move(cp));
        }
        if (const auto* nr = std::get_if<http::NoResponse>(&outcome)) {
            return no_response_failure(*nr, true, "Bluesky who-am-I");
        }
        const auto& r = std::get<http::HttpResponse>(outcome);
        if (detail::is_token_error(r)) {
            if (!refreshed_ && !session_.refresh_jwt.empty()) {
                refreshed_ = true;
                stage_ = Stage::refresh;
                return pd::send(detail::refresh_session_request(account_, session_));
            }
            return login();
        }
        if (!is_success(r.status))
            return detail::classify_error(r, now, "Bluesky who-am-I", true, account_, session_);
        auto j = parse_json(r.body);
        auto did = j ? nonempty_string_member(*j, "did") : std::nullopt;
        if (!did) {
            return make_failure(
                FailureClass::retry_safe, "bad_response",
                fmt::format(
                    "Bluesky getSession answered HTTP {} but did is missing or not a string",
                    r.status),
                r.status);
        }
        return Identity{*did, string_member(*j, "handle").value_or(""), ""};
    }

  private:
    enum class Stage { idle, login, refresh, get };

    bool can_login() const {
        return !account_.username.empty() && !account_.app_password.empty() && !relogged_;
    }

    WhoAmIStep login() {
        if (!can_login()) {
            return make_failure(
                FailureClass::needs_login, relogged_ ? "login_failed" : "no_session",
                "Bluesky account has no usable session and no app password; log in again");
        }
        relogged_ = true;
        stage_ = Stage::login;
        return pd::send(detail::create_session_request(account_));
    }

    WhoAmIStep get_session(Checkpoint cp) {
        http::HttpRequest req;
        req.method = "GET";
        req.url = detail::xrpc_url(account_, "com.atproto.server.getSession");
        req.headers.add("Authorization", "Bearer " + session_.access_jwt);
        stage_ = Stage::get;
        return Send{std::move(req), std::move(cp)};
    }

    const Account account_;
    BlueskySession session_;
    Stage stage_ = Stage::idle;
    bool refreshed_ = false;
    bool relogged_ = false;
};

}  // namespace

std::unique_ptr<WhoAmI> make_whoami(const Account& account) {
    return std::make_unique<Who>(account);
}

}  // namespace growth::publish::bluesky
