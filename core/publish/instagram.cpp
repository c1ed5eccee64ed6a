#include "core/publish/instagram.hpp"

#include "core/publish/machine.hpp"
#include "core/publish/meta_container.hpp"
#include "core/publish/meta_whoami.hpp"

namespace growth::publish::instagram {

namespace {

http::Params container_params(const Part& part) {
    http::Params p{{"image_url", part.media_url}};
    if (!part.text.empty()) p.emplace_back("caption", part.text);
    return p;
}

std::string part_problem(const Part& part) {
    if (part.index == 1 && part.media_url.empty()) {
        return "part 1 needs a public image URL (Instagram has no text-only posts)";
    }
    if (part.index > 1 && part.text.empty())
        return "part " + std::to_string(part.index) + " has no text";
    return {};
}

constexpr meta::ContainerFlavor kFlavor{
    "Instagram",   kDefaultApiBase, "",
    "media",       "media_publish", "status_code",
    "status_code", "media",         "id,caption,timestamp,permalink",
    "caption",     false,           container_params,
    part_problem};

}  // namespace

std::unique_ptr<PartPublisher> make_publisher(const Account& account, Part part) {
    return meta::make_container_publisher(kFlavor, account, std::move(part));
}

std::unique_ptr<WhoAmI> make_whoami(const Account& account) {
    return meta::make_node_whoami(account, detail::or_default(account.api_base, kDefaultApiBase),
                                  account.user_id, "id,username", "Instagram");
}

}  // namespace growth::publish::instagram
