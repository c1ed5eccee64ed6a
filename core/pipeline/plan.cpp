#include "core/pipeline/plan.hpp"

#include <set>

#include "core/error.hpp"
#include "core/text/utf8.hpp"

namespace growth::pipeline {

text::Platform text_platform(publish::Platform p) noexcept {
    switch (p) {
        case publish::Platform::x: return text::Platform::x;
        case publish::Platform::linkedin: return text::Platform::linkedin;
        case publish::Platform::facebook: return text::Platform::facebook;
        case publish::Platform::instagram: return text::Platform::instagram;
        case publish::Platform::threads: return text::Platform::threads;
        case publish::Platform::mastodon: return text::Platform::mastodon;
        case publish::Platform::bluesky: return text::Platform::bluesky;
    }
    return text::Platform::x;
}

PostPlan plan_post(std::string text, std::vector<accounts::Account> targets,
                   const PlanOptions& options, const text::PostBounds& bounds) {
    if (targets.empty()) throw Error("bad_input", "no account to publish to; add one with growthctl account add");
    std::set<std::string> seen;
    for (const auto& a : targets) {
        if (!seen.insert(a.name).second) {
            throw Error("bad_input", "account '" + a.name + "' is named twice by --to");
        }
        if (a.platform == publish::Platform::instagram && options.media_url.empty()) {
            throw Error("bad_input", "Instagram posts need an image: give --media-url URL (a public "
                                     "image URL) for account '" + a.name + "'");
        }
    }
    // The text as a whole, before any split: an oversize text costs no work at all.
    text::require_post_size(text, bounds);
    text::require_valid_utf8(text);
    PostPlan plan;
    plan.options = options;
    for (auto& a : targets) {
        text::SplitOptions split;
        split.numbering = options.numbering;
        split.max_parts = bounds.max_parts;
        if (a.platform == publish::Platform::mastodon && a.settings.is_object() &&
            a.settings.contains("max_characters") && a.settings["max_characters"].is_number_integer()) {
            split.rules.mastodon_limit = a.settings["max_characters"].get<long>();
        }
        std::vector<text::Part> parts;
        try {
            parts = text::split_text(text_platform(a.platform), text, split);
        } catch (const Error& e) {
            throw Error(e.kind(), std::string(publish::platform_name(a.platform)) + " (account '" +
                                      a.name + "'): " + e.what());
        }
        plan.targets.push_back(PlannedTarget{std::move(a), std::move(parts)});
    }
    plan.text = std::move(text);
    return plan;
}

rpc::Json plan_json(const PostPlan& plan) {
    rpc::Json targets = rpc::Json::array();
    for (const auto& t : plan.targets) {
        rpc::Json parts = rpc::Json::array();
        int index = 1;
        for (const auto& p : t.parts) {
            parts.push_back({{"index", index++}, {"text", p.text}, {"length", p.measure.length},
                             {"label", p.label}});
        }
        targets.push_back({{"account", t.account.name},
                           {"platform", publish::platform_name(t.account.platform)},
                           {"parts", std::move(parts)}});
    }
    rpc::Json out = rpc::Json::object();
    out["dry_run"] = true;
    out["targets"] = std::move(targets);
    return out;
}

}  // namespace growth::pipeline
