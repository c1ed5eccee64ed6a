#include "daemon/post_methods.hpp"

#include <chrono>
#include <random>

#include "core/accounts/accounts.hpp"
#include "core/error.hpp"
#include <fmt/format.h>

#include "core/pipeline/plan.hpp"
#include "core/pipeline/post_json.hpp"
#include "core/pipeline/post_store.hpp"
#include "core/pipeline/progress.hpp"
#include "core/text/numbering.hpp"

namespace growth::daemon {

namespace {

using rpc::Json;
using rpc::ParamSpec;
using rpc::ParamType;

}  // namespace

pipeline::Millis now_ms() noexcept {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

pipeline::PostPlan plan_from(Store& store, const Json& params, const text::PostBounds& bounds) {
    std::vector<accounts::Account> targets;
    if (params.contains("to")) {
        for (const auto& word : params["to"]) {
            if (!word.is_string()) throw Error("invalid_params", "post.publish: 'to' must be an array of strings");
            targets.push_back(accounts::resolve(store, word.get<std::string>()));
        }
    }
    if (targets.empty()) targets = accounts::list(store);
    if (targets.empty()) {
        throw Error("bad_input", "no account to publish to; add one with growthctl account add");
    }
    pipeline::PlanOptions options;
    if (params.contains("numbering")) {
        const auto n = text::parse_numbering(params["numbering"].get<std::string>());
        if (!n) {
            throw Error("bad_input", "unknown numbering '" + params["numbering"].get<std::string>() +
                                         "'; use none, 1/n, (1/n) or 🧵 1/n");
        }
        options.numbering = *n;
    }
    options.media_url = params.value("media_url", std::string());
    if (!options.media_url.empty() && options.media_url.rfind("https://", 0) != 0 &&
        options.media_url.rfind("http://", 0) != 0) {
        throw Error("bad_input", "--media-url must be an http(s) URL, got '" + options.media_url + "'");
    }
    return pipeline::plan_post(params["text"].get<std::string>(), std::move(targets), options, bounds);
}

void add_post_methods(rpc::MethodTable& table, PostServices& services) {
    table.add_deferred(
        {"post.publish",
         "Publishes a text now to the given accounts (default: every account), each as a thread. "
         "Every part is recorded before anything is sent. Answers when every target has settled, "
         "or at once with wait=false.",
         {
             ParamSpec{"text", ParamType::string, true, "the text (split per platform)"},
             ParamSpec{"to", ParamType::array, false, "account names or platform names"},
             ParamSpec{"numbering", ParamType::string, false, "none, 1/n, (1/n) or 🧵 1/n"},
             ParamSpec{"media_url", ParamType::string, false, "a public image URL (Instagram needs one)"},
             ParamSpec{"dry_run", ParamType::boolean, false, "show the parts; store and send nothing"},
             ParamSpec{"wait", ParamType::boolean, false, "answer when done (default true)"},
         },
         true},
        [&services](const Json& params, const rpc::CallContext&, rpc::Responder reply) {
            pipeline::PostPlan plan = plan_from(services.store, params, services.bounds);
            if (params.value("dry_run", false)) {
                reply.result(pipeline::plan_json(plan));
                return;
            }
            static std::mt19937 random{std::random_device{}()};
            const std::string id = pipeline::insert_post(services.store, plan, now_ms(),
                                                         [] { return static_cast<std::uint32_t>(random()); });
            pipeline::PostRecord post = pipeline::load_post(services.store, id);
            for (auto& t : post.targets) services.publishing.start_target(std::move(t), plan.options.media_url);
            rpc::Json view = services.publishing.announce(id);
            if (params.value("wait", true)) {
                services.publishing.when_settled(id, reply);
            } else {
                reply.result(std::move(view));
            }
        });
    table.add({"post.show", "A post's state, and each target's parts with their URLs or errors.",
               {ParamSpec{"id", ParamType::string, true, "the post id"}}, false},
              [&services](const Json& params) {
                  return services.publishing.show(params["id"].get<std::string>());
              });
    table.add_deferred(
        {"post.retry",
         "Continues every unfinished target of a post from its first unpublished part, replying to "
         "the last published one; never re-sends a published part. A part whose outcome is unknown "
         "is checked through the platform first where it can be, else it stays unknown. Missed "
         "parts (not started within 15 minutes of the post) are published now.",
         {ParamSpec{"id", ParamType::string, true, "the post id"},
          ParamSpec{"wait", ParamType::boolean, false, "answer when done (default true)"}},
         true},
        [&services](const Json& params, const rpc::CallContext&, rpc::Responder reply) {
            const std::string id = params["id"].get<std::string>();
            const pipeline::PostRecord post = pipeline::load_post(services.store, id);
            if (post.state == "canceled") {
                throw Error("post_canceled", fmt::format("post {} was canceled: nothing of it goes out again", id));
            }
            if (post.state == "scheduled") {
                throw Error("not_due", fmt::format("post {} is scheduled for {}: it goes out then (growthctl "
                                                   "reschedule {} --at WHEN moves it)",
                                                   id, pipeline::iso_millis(post.due_at.value_or(0)), id));
            }
            const std::string media_url = post.options.value("media_url", std::string());
            for (const auto& t : post.targets) {
                if (pipeline::first_unpublished(t)) services.publishing.start_target(t, media_url);
            }
            if (params.value("wait", true)) {
                services.publishing.when_settled(id, reply);
            } else {
                reply.result(services.publishing.show(id));
            }
        });
}

}  // namespace growth::daemon
