#include "core/publish/bearer_whoami.hpp"

#include <fmt/format.h>

#include "core/publish/json_fields.hpp"
#include "core/publish/machine.hpp"

namespace growth::publish::detail {

namespace {

class BearerWhoAmI final : public WhoAmI {
  public:
    explicit BearerWhoAmI(BearerWhoAmISpec spec) : spec_(std::move(spec)) {}

    WhoAmIStep start(Instant /*now*/) override {
        if (spec_.precondition) return *spec_.precondition;
        http::HttpRequest req;
        req.method = "GET";
        req.url = spec_.url;
        req.headers.add("Authorization", "Bearer " + spec_.token);
        sent_ = true;
        return send(std::move(req));
    }

    WhoAmIStep feed(const http::Outcome& outcome, Instant now) override {
        if (!sent_) return misuse(spec_.what);
        sent_ = false;
        if (const auto* nr = std::get_if<http::NoResponse>(&outcome))
            return no_response_failure(*nr, true, spec_.what);
        const auto& r = std::get<http::HttpResponse>(outcome);
        if (!is_success(r.status))
            return spec_.classify(r, now, spec_.what, spec_.token, spec_.classify_flag);
        auto j = parse_json(r.body);
        auto identity = j ? spec_.identity(*j) : std::nullopt;
        if (!identity) {
            return make_failure(FailureClass::retry_safe, "bad_response",
                                fmt::format("{} answered HTTP {} but {} is missing or not a string",
                                            spec_.what, r.status, spec_.id_field),
                                r.status);
        }
        return *identity;
    }

  private:
    const BearerWhoAmISpec spec_;
    bool sent_ = false;
};

}  // namespace

std::unique_ptr<WhoAmI> make_bearer_whoami(BearerWhoAmISpec spec) {
    return std::make_unique<BearerWhoAmI>(std::move(spec));
}

}  // namespace growth::publish::detail
