#pragma once
// Turning a text and the chosen accounts into the parts each target will publish (pure).

#include <optional>
#include <string>
#include <vector>

#include "core/accounts/accounts.hpp"
#include "core/pipeline/records.hpp"
#include "core/rpc/json.hpp"
#include "core/text/numbering.hpp"
#include "core/text/post_bounds.hpp"
#include "core/text/splitter.hpp"

namespace growth::pipeline {

/// What the user asked for besides the text.
struct PlanOptions {
    text::Numbering numbering = text::Numbering::none;
    std::string media_url;  ///< public image URL (Instagram requires one)
};

/// One target: the account and its thread.
struct PlannedTarget {
    accounts::Account account;
    std::vector<text::Part> parts;
};

/// When a scheduled post goes out.
struct Schedule {
    Millis due_at = 0;        ///< the UTC instant, ms since the epoch
    std::string tz;           ///< the IANA zone the time was written in
    Millis catch_up_ms = 0;   ///< how late it may still go out by itself after a downtime
    std::string every;        ///< a systemd calendar event: each firing records the next occurrence
    std::optional<Millis> until;  ///< no occurrence after this instant
    std::optional<int> count;     ///< occurrences left, this one included
};

/// A post about to be stored.
struct PostPlan {
    std::string text;
    PlanOptions options;
    std::vector<PlannedTarget> targets;
    std::optional<Schedule> schedule;  ///< empty: publish now
};

/// The text platform of a publishing platform. Throws nothing.
text::Platform text_platform(publish::Platform p) noexcept;

/// Splits `text` for every account (Mastodon with the instance's max_characters setting), within
/// `bounds`. Throws growth::Error("bad_input") for no accounts, the same account twice, an
/// Instagram target without a media URL, a text that is empty or not UTF-8 ("invalid UTF-8 at byte
/// offset N"); ("post_too_large") for a text over bounds.max_post_bytes, checked before any split;
/// ("unsplittable") and ("too_many_parts", over bounds.max_parts) from the splitter, prefixed with
/// the platform and account.
PostPlan plan_post(std::string text, std::vector<accounts::Account> targets,
                   const PlanOptions& options, const text::PostBounds& bounds = {});

/// The plan as post.publish's dry-run result: {"dry_run":true,"targets":[{"account","platform",
/// "parts":[{"index","text","length","label"}]}]}. Throws std::bad_alloc.
rpc::Json plan_json(const PostPlan& plan);

}  // namespace growth::pipeline
