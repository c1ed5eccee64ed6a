#include "core/pipeline/post_json.hpp"

#include <ctime>

#include <fmt/format.h>

#include "core/pipeline/progress.hpp"

namespace growth::pipeline {

std::string iso_millis(Millis at) {
    const std::time_t seconds = static_cast<std::time_t>(at / 1000);
    std::tm tm{};
    ::gmtime_r(&seconds, &tm);
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                       tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, at % 1000);
}

PostStates summary_states(const PostRecord& post, const rpc::Json& view) {
    PostStates out{post.id, {}, view["state"].get<std::string>()};
    for (std::size_t i = 0; i < post.targets.size(); ++i) {
        out.targets.emplace_back(post.targets[i].id, view["targets"][i]["state"].get<std::string>());
    }
    return out;
}

rpc::Json post_json(const PostRecord& post, const std::set<std::int64_t>& running) {
    rpc::Json targets = rpc::Json::array();
    std::vector<std::string> states;
    bool any_published = false;
    for (const auto& t : post.targets) {
        rpc::Json parts = rpc::Json::array();
        for (const auto& p : t.parts) {
            rpc::Json part = rpc::Json::object();
            part["index"] = p.index;
            part["state"] = std::string(to_string(p.state));
            const bool published = p.state == PartState::published;
            any_published = any_published || published;
            part["remote_id"] = published ? rpc::Json(p.remote_id) : rpc::Json(nullptr);
            part["url"] = published ? rpc::Json(p.remote_url) : rpc::Json(nullptr);
            if (!published && !p.last_error_kind.empty()) {
                part["error"] = {{"kind", p.last_error_kind}, {"message", p.last_error}};
            }
            if (p.state == PartState::unknown) {
                // The person looks; this records what they found (cli/resolve.cpp).
                part["resolve"] = fmt::format(
                    "growthctl resolve {} --account {} --part {} --published URL_OR_ID | "
                    "--not-published",
                    post.id, t.account, p.index);
            }
            if (p.state == PartState::retry_wait && p.next_attempt_at) {
                part["next_attempt_at"] = iso_millis(*p.next_attempt_at);
            }
            parts.push_back(std::move(part));
        }
        std::string state = target_state(t, running.count(t.id) != 0);
        states.push_back(state);
        rpc::Json target = rpc::Json::object();
        target["account"] = t.account;
        target["platform"] = std::string(publish::platform_name(t.platform));
        target["state"] = std::move(state);
        target["parts"] = std::move(parts);
        targets.push_back(std::move(target));
    }
    rpc::Json out = rpc::Json::object();
    out["id"] = post.id;
    out["state"] = post_state(states, any_published);
    if (post.due_at) {
        out["due"] = iso_millis(*post.due_at);
        out["tz"] = post.tz;
        if (post.options.contains("every")) {
            out["every"] = post.options["every"];
            if (post.options.contains("until_ms")) out["until"] = iso_millis(post.options["until_ms"].get<Millis>());
            if (post.options.contains("count")) out["count"] = post.options["count"];
        }
    }
    out["targets"] = std::move(targets);
    return out;
}

}  // namespace growth::pipeline
