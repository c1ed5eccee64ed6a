#include "daemon/resolve_methods.hpp"

#include <algorithm>
#include <chrono>

#include "core/error.hpp"
#include "core/pipeline/post_store.hpp"
#include "core/pipeline/resolve.hpp"

namespace growth::daemon {

using rpc::Json;
using rpc::ParamSpec;
using rpc::ParamType;

void add_resolve_methods(rpc::MethodTable& table, PostServices& services) {
    table.add(
        {"post.resolve",
         "Records what you found for a part whose outcome is unknown: published (at the URL or "
         "id given; the next part replies to it) or not published (it goes back to be sent). "
         "post.retry then continues the thread. Only an unknown part can be resolved.",
         {
             ParamSpec{"id", ParamType::string, true, "the post id"},
             ParamSpec{"account", ParamType::string, true, "the account (target) name"},
             ParamSpec{"part", ParamType::integer, true, "the part number, 1-based"},
             ParamSpec{"published", ParamType::string, false, "the URL or id it was published at"},
             ParamSpec{"not_published", ParamType::boolean, false, "true: it was not published"},
         },
         true},
        [&services](const Json& params) {
            const bool has_url = params.contains("published");
            const bool not_published = params.value("not_published", false);
            if (has_url == not_published) {
                throw Error("bad_input",
                            "post.resolve needs exactly one of 'published' (the URL or id) and "
                            "'not_published': true");
            }
            pipeline::Resolution r;
            r.post_id = params["id"].get<std::string>();
            r.account = params["account"].get<std::string>();
            const auto part = params["part"].get<long long>();
            r.part = static_cast<int>(std::clamp(part, -1'000'000LL, 1'000'000LL));
            if (has_url) r.published = params["published"].get<std::string>();
            // A target being published right now has no part to decide on: the run owns it.
            const Json view = services.publishing.show(r.post_id);
            for (const auto& t : view["targets"]) {
                if (t["account"] == r.account && t["state"] == "sending") {
                    throw Error("bad_input", "post " + r.post_id + " is being published on '" +
                                                 r.account + "'; wait until it settles");
                }
            }
            const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                                 std::chrono::system_clock::now().time_since_epoch())
                                 .count();
            pipeline::resolve_part(services.store, r, now);
            return services.publishing.show(r.post_id);
        });
}

}  // namespace growth::daemon
