#include "core/pipeline/progress.hpp"

#include <algorithm>
#include <chrono>

#include <fmt/format.h>

#include "core/pipeline/plan.hpp"
#include "core/pipeline/post_json.hpp"
#include "core/text/bluesky_facets.hpp"

namespace growth::pipeline {

std::optional<std::size_t> first_unpublished(const TargetRecord& target) noexcept {
    for (std::size_t i = 0; i < target.parts.size(); ++i) {
        if (target.parts[i].state != PartState::published) return i;
    }
    return std::nullopt;
}

namespace {

publish::PartRef ref_of(const PartRecord& p) {
    return publish::PartRef{p.remote_id, p.remote_cid, p.remote_url};
}

publish::Facet::Kind facet_kind(text::BlueskyFacet::Kind k) {
    switch (k) {
        case text::BlueskyFacet::Kind::link: return publish::Facet::Kind::link;
        case text::BlueskyFacet::Kind::mention: return publish::Facet::Kind::mention;
        case text::BlueskyFacet::Kind::tag: return publish::Facet::Kind::tag;
    }
    return publish::Facet::Kind::link;
}

}  // namespace

publish::Part part_to_send(const TargetRecord& target, std::size_t i, const std::string& media_url) {
    const PartRecord& p = target.parts.at(i);
    publish::Part part;
    part.text = p.text;
    part.index = p.index;
    if (i > 0) {
        const PartRecord& parent = target.parts[i - 1];
        const PartRecord& root = target.parts[0];
        if (parent.state != PartState::published || root.state != PartState::published) {
            throw Error("internal_error", "part " + std::to_string(p.index) +
                                              " cannot be sent before part " +
                                              std::to_string(parent.index) + " is published");
        }
        part.parent = ref_of(parent);
        part.root = ref_of(root);
    }
    part.idempotency_key =
        target.platform == publish::Platform::bluesky ? p.record_key : p.idempotency_key;
    if (p.index == 1) part.media_url = media_url;
    if (target.platform == publish::Platform::bluesky) {
        for (const auto& f : text::bluesky_facets(p.text)) {
            part.facets.push_back(publish::Facet{facet_kind(f.kind), f.byte_start, f.byte_end, f.value});
        }
    }
    part.container_id = p.container_id;
    part.resume = needs_check(p);
    if (p.first_attempt_at) {
        part.first_attempt_at = publish::Instant(std::chrono::milliseconds(*p.first_attempt_at));
    }
    return part;
}

bool needs_check(const PartRecord& p) noexcept {
    return p.state == PartState::sending || p.state == PartState::unknown || p.verify_on_retry;
}

bool proves_not_applied(const publish::Failure& failure) noexcept {
    return failure.code == "not_published";
}

bool check_after_failure(bool checked_before, const publish::Failure& failure) noexcept {
    if (failure.verify_on_retry) return true;
    return checked_before && !proves_not_applied(failure);
}

bool startable(const TargetRecord& target) noexcept {
    const auto i = first_unpublished(target);
    if (!i) return false;
    const PartState s = target.parts[*i].state;
    return s != PartState::scheduled && s != PartState::canceled;
}

Millis due_of(const PostRecord& post) noexcept { return post.due_at.value_or(post.created_at); }

Millis catch_up_of(const PostRecord& post) noexcept {
    const auto it = post.options.find("catch_up_ms");
    if (it == post.options.end() || !it->is_number_integer()) return catch_up_window_ms;
    return it->get<Millis>();
}

bool missed_window(Millis due, Millis now, Millis window) noexcept { return now - due > window; }

std::string missed_message(const PostRecord& post) {
    const Millis window = catch_up_of(post);
    const std::string span = window % 60'000 == 0 ? fmt::format("{} minute{}", window / 60'000, window == 60'000 ? "" : "s")
                                                  : fmt::format("{} seconds", window / 1000);
    return fmt::format("not sent: growthd was not running within {} of the post{}; growthctl retry {} publishes it",
                       span, post.due_at ? "'s due time" : "", post.id);
}

PartState state_after(publish::FailureClass cls) noexcept {
    switch (cls) {
        case publish::FailureClass::retry_safe:
        case publish::FailureClass::rate_limited: return PartState::retry_wait;
        case publish::FailureClass::needs_login: return PartState::needs_auth;
        case publish::FailureClass::permanent: return PartState::failed;
        case publish::FailureClass::ambiguous: return PartState::unknown;
    }
    return PartState::failed;
}

Millis next_attempt_at(const publish::Failure& failure, int attempts, Millis now,
                       std::mt19937& random) noexcept {
    constexpr Millis base = 2'000;
    constexpr Millis cap = 15 * 60 * 1000;
    const int doublings = std::clamp(attempts - 1, 0, 20);
    const Millis backoff = std::min(cap, base << doublings);
    std::uniform_int_distribution<Millis> jitter(backoff / 2, backoff);
    Millis at = now + jitter(random);
    if (failure.retry_at) at = std::max(at, failure.retry_at->time_since_epoch().count());
    return at;
}

std::string wait_refusal(const publish::Failure& failure, Millis now) {
    if (!failure.retry_at || failure.code == "budget") return {};
    const Millis at = failure.retry_at->time_since_epoch().count();
    if (at - now <= max_platform_wait_ms) return {};
    return fmt::format("the platform asked to wait until {}, more than {} hours ahead", iso_millis(at),
                       max_platform_wait_ms / 3'600'000);
}

std::string target_state(const TargetRecord& target, bool running) {
    const auto first = first_unpublished(target);
    if (!first) return "published";
    if (running) return "sending";
    return std::string(to_string(target.parts[*first].state));
}

std::string post_state(const std::vector<std::string>& states, bool any_part_published) {
    if (states.empty()) return "failed";
    if (std::all_of(states.begin(), states.end(), [](const auto& s) { return s == "published"; }))
        return "published";
    if (std::any_of(states.begin(), states.end(), [](const auto& s) { return s == "sending"; }))
        return "sending";
    if (any_part_published) return "partial";
    if (std::all_of(states.begin(), states.end(), [&](const auto& s) { return s == states[0]; }))
        return states[0];
    return "failed";
}

}  // namespace growth::pipeline
