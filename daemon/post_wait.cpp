#include "daemon/post_wait.hpp"

#include <string>

namespace growth::daemon {

void add_post_wait_method(rpc::MethodTable& table, PublishService& publishing) {
    table.add_deferred(
        {"post.wait",
         "Answers with the post as post.show gives it once none of its targets is publishing (at "
         "once when none is); starts nothing. For a client that printed the id of a post.publish "
         "with wait=false.",
         {rpc::ParamSpec{"id", rpc::ParamType::string, true, "the post id"}},
         false},
        [&publishing](const rpc::Json& params, const rpc::CallContext&, rpc::Responder reply) {
            const std::string id = params["id"].get<std::string>();
            (void)publishing.show(id);  // post_not_found at once, not a wait for nothing
            publishing.when_settled(id, std::move(reply));
        });
}

}  // namespace growth::daemon
