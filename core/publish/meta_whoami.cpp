#include "core/publish/meta_whoami.hpp"

#include <fmt/format.h>

#include "core/http/encoding.hpp"
#include "core/publish/json_fields.hpp"
#include "core/publish/machine.hpp"
#include "core/publish/meta_graph.hpp"

namespace growth::publish::meta {

namespace {

class NodeWhoAmI final : public WhoAmI {
  public:
    NodeWhoAmI(const Account& account, std::string base, std::string node, std::string fields,
               std::string display)
        : token_(account.access_token),
          base_(std::move(base)),
          node_(std::move(node)),
          fields_(std::move(fields)),
          display_(std::move(display)) {}

    WhoAmIStep start(Instant /*now*/) override {
        if (token_.empty()) return detail::no_token(display_);
        if (node_.empty()) return detail::bad_input(display_ + ": the account has no user id");
        sent_ = true;
        return detail::send(
            get(http::join_url(base_, http::percent_encode(node_)), {{"fields", fields_}}, token_));
    }

    WhoAmIStep feed(const http::Outcome& outcome, Instant now) override {
        std::string what = display_ + " who-am-I";
        if (!sent_) return detail::misuse(what);
        sent_ = false;
        if (const auto* nr = std::get_if<http::NoResponse>(&outcome))
            return no_response_failure(*nr, true, what);
        const auto& r = std::get<http::HttpResponse>(outcome);
        if (!is_success(r.status)) return classify_error(r, now, false, what, token_);
        auto j = parse_json(r.body);
        auto id = j ? nonempty_string_member(*j, "id") : std::nullopt;
        if (!id) {
            return make_failure(FailureClass::retry_safe, "bad_response",
                                fmt::format("{} answered HTTP {} but id is missing or not a string",
                                            what, r.status),
                                r.status);
        }
        return Identity{*id, string_member(*j, "username").value_or(""),
                        string_member(*j, "name").value_or("")};
    }

  private:
    std::string token_, base_, node_, fields_, display_;
    bool sent_ = false;
};

}  // namespace

std::unique_ptr<WhoAmI> make_node_whoami(const Account& account, std::string api_base,
                                         std::string node, std::string fields,
                                         std::string display) {
    return std::make_unique<NodeWhoAmI>(account, std::move(api_base), std::move(node),
                                        std::move(fields), std::move(display));
}

}  // namespace growth::publish::meta
