#pragma once
// The timer queue's verbs: `list`, `cancel ID...`, `reschedule ID --at WHEN` and `when EXPR`
// (`schedule` and `post --at` are registered with `post`, whose options they share).

#include <CLI/CLI.hpp>
#include <string>

#include "cli/global_options.hpp"
#include "core/rpc/json.hpp"

namespace growth::cli {

/// Options that say when a post goes out: --at, --tz, --fold, --catch-up.
struct WhenOptions {
    std::string at, tz, fold, catch_up;
    std::string every, until;  ///< a recurring post (schedule and post only)
    int count = 0;             ///< 0: not given
    /// Whether a time was given at all (--at or --every).
    bool given() const { return !at.empty() || !every.empty(); }
    /// Adds them to post.schedule's or post.reschedule's params (the ones given).
    void add_to(rpc::Json& params) const {
        if (!at.empty()) params["at"] = at;
        if (!every.empty()) params["every"] = every;
        if (!until.empty()) params["until"] = until;
        if (count != 0) params["count"] = count;
        if (!tz.empty()) params["tz"] = tz;
        if (!fold.empty()) params["fold"] = fold;
        if (!catch_up.empty()) params["catch_up"] = catch_up;
    }
};

/// Registers --at (required or not), --tz, --fold and --catch-up on `sub`, into `o`, and with
/// `recurring` --every, --until and --count. Throws nothing at registration.
void add_when_options(CLI::App* sub, WhenOptions& o, bool at_required, bool recurring = false);

/// Registers `list`, `cancel`, `reschedule` and `when` on `app`. Throws nothing at registration.
void add_schedule_commands(CLI::App& app, const GlobalOptions& global, int& exit_code);

/// "2026-12-03 09:00:00 CET (+01:00), 2026-12-03T08:00:00Z" for a post's "due" and "tz" (the
/// local time in the zone it was written in, then UTC); "" when the post has no due time.
/// Throws std::bad_alloc.
std::string describe_due(const rpc::Json& post);

/// An RFC 3339 instant in the viewer's zone ("2026-12-03 09:00:00 CET"); `iso` itself when it
/// cannot be read. Throws std::bad_alloc.
std::string local_time(const std::string& iso);

/// Prints post.schedule's result: one line with the id, due time and accounts (or the JSON
/// object). Returns 0. Throws std::bad_alloc.
int report_scheduled(const rpc::Json& result, bool json);

}  // namespace growth::cli
