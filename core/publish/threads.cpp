#include "core/publish/threads.hpp"

#include "core/publish/machine.hpp"
#include "core/publish/meta_container.hpp"
#include "core/publish/meta_whoami.hpp"

namespace growth::publish::threads {

namespace {

http::Params container_params(const Part& part) {
    http::Params p;
    if (part.media_url.empty()) {
        p.emplace_back("media_type", "TEXT");
    } else {
        p.emplace_back("media_type", "IMAGE");
        p.emplace_back("image_url", part.media_url);
    }
    if (!part.text.empty()) p.emplace_back("text", part.text);
    if (part.index > 1) p.emplace_back("reply_to_id", part.parent->id);
    return p;
}

std::string part_problem(const Part& part) {
    if (part.text.empty() && part.media_url.empty())
        return "part " + std::to_string(part.index) + " has no text";
    return {};
}

constexpr meta::ContainerFlavor kFlavor{"Threads",
                                        kDefaultApiBase,
                                        "me",
                                        "threads",
                                        "threads_publish",
                                        "status,error_message",
                                        "status",
                                        "threads",
                                        "id,text,timestamp,permalink",
                                        "text",
                                        true,
                                        container_params,
                                        part_problem};

}  // namespace

std::unique_ptr<PartPublisher> make_publisher(const Account& account, Part part) {
    return meta::make_container_publisher(kFlavor, account, std::move(part));
}

std::unique_ptr<WhoAmI> make_whoami(const Account& account) {
    return meta::make_node_whoami(account, detail::or_default(account.api_base, kDefaultApiBase),
                                  detail::or_default(account.user_id, "me"), "id,username",
                                  "Threads");
}

}  // namespace growth::publish::threads
