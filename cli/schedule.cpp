#include "cli/schedule.hpp"

#include <fmt/format.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <vector>

#include "cli/failure.hpp"
#include "cli/session.hpp"
#include "core/config/config.hpp"
#include "core/paths.hpp"
#include "core/text/grapheme.hpp"
#include "core/time/calendar.hpp"
#include "core/time/when.hpp"

namespace growth::cli {

namespace {

timeexpr::Seconds now_seconds() {
    return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

/// `text` cut to at most `width` graphemes on one line ("..." when cut).
std::string first_words(const std::string& text, std::size_t width) {
    std::string flat;
    for (const char c : text) flat += (c == '\n' || c == '\t' || c == '\r') ? ' ' : c;
    std::vector<std::size_t> ends;
    text::for_each_grapheme(flat, [&](std::size_t, std::size_t e) { ends.push_back(e); });
    if (ends.size() <= width) return flat;
    if (width < 4) return flat.substr(0, width == 0 ? 0 : ends[width - 1]);
    return flat.substr(0, ends[width - 4]) + "...";
}

std::size_t terminal_width() {
    winsize ws{};
    if (::isatty(STDOUT_FILENO) == 1 && ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20) return ws.ws_col;
    return 100;
}

/// The due time in the viewer's zone, for the table: "2026-12-03 09:00".
std::string local_short(const std::string& iso) {
    const std::string full = local_time(iso);
    return full == iso ? iso : full.substr(0, 16);
}

}  // namespace

std::string local_time(const std::string& iso) {
    try {
        const auto when = timeexpr::parse_when(iso, {now_seconds(), "", timeexpr::Fold::none});
        return timeexpr::format_local(when.instant, timeexpr::find_zone(""));
    } catch (const Error&) {
        return iso;
    }
}

namespace {

int run_list(const rpc::Json& params, const GlobalOptions& global, bool json) {
    auto connection = connect_daemon(global);
    const rpc::Json result = connection->call("post.list", params);
    if (json) {
        std::printf("%s\n", result.dump().c_str());
        return 0;
    }
    const auto posts = result.value("posts", rpc::Json::array());
    if (posts.empty()) {
        std::printf("no posts%s\n", params.size() > 1 ? " match" : " yet; growthctl post or growthctl schedule makes one");
        return 0;
    }
    const std::size_t width = terminal_width();
    std::printf("%-14s %-16s %-10s %-24s %s\n", "ID", "DUE", "STATE", "TARGETS", "TEXT");
    for (const auto& p : posts) {
        std::string targets;
        for (const auto& t : p.value("targets", rpc::Json::array())) {
            if (!targets.empty()) targets += ",";
            targets += string_field(t, "account");
        }
        if (targets.size() > 24) targets = targets.substr(0, 21) + "...";
        const std::string head = fmt::format("{:<14} {:<16} {:<10} {:<24} ", string_field(p, "id"), local_short(string_field(p, "due")),
                                             string_field(p, "state"), targets);
        const std::size_t room = width > head.size() + 8 ? width - head.size() - 1 : 8;
        std::printf("%s%s\n", head.c_str(), first_words(string_field(p, "text"), room).c_str());
    }
    if (result.contains("next_cursor") && result["next_cursor"].is_string()) {
        std::printf("more: growthctl list --cursor %s\n", result["next_cursor"].get<std::string>().c_str());
    }
    return 0;
}

int run_cancel(const std::vector<std::string>& ids, const GlobalOptions& global, bool json) {
    auto connection = connect_daemon(global);
    int code = 0;
    rpc::Json all = rpc::Json::array();
    for (const auto& id : ids) {
        try {
            const rpc::Json result = connection->call("post.cancel", rpc::Json{{"id", id}});
            if (json) all.push_back(result);
            else std::printf("post %s: %s\n", id.c_str(), string_field(result, "state").c_str());
        } catch (const Failure& f) {
            // Each id on its own: one that cannot be cancelled does not keep the others.
            std::fprintf(stderr, "growthctl: error: %s\n", f.what());
            if (code == 0) code = static_cast<int>(f.code());
        }
    }
    if (json) std::printf("%s\n", rpc::Json{{"posts", all}}.dump().c_str());
    return code;
}

/// `when --every SPEC`: the next `count` elapses, as systemd-analyze calendar --iterations.
int run_every(const std::string& spec, const std::string& zone, int count, bool json) {
    const auto event = timeexpr::CalendarEvent::parse(spec);
    const std::string z = !event.zone_name().empty() ? event.zone_name() : zone.empty() ? timeexpr::system_zone_name() : zone;
    const auto* tz = timeexpr::find_zone(z);
    rpc::Json instants = rpc::Json::array();
    std::vector<timeexpr::Seconds> at;
    auto t = now_seconds();
    for (int i = 0; i < count; ++i) {
        const auto next = event.next_after(t, tz);
        if (!next) break;
        at.push_back(*next);
        instants.push_back(timeexpr::format_utc(*next));
        t = *next;
    }
    if (json) {
        std::printf("%s\n", rpc::Json{{"normalized", event.normalized()}, {"instants", instants}, {"tz", z}}.dump().c_str());
        return 0;
    }
    std::printf("normalized: %s\n", event.normalized().c_str());
    if (at.empty()) std::printf("it never elapses again\n");
    for (const auto& a : at) {
        std::printf("%s  %s\n", timeexpr::format_local(a, tz).c_str(), timeexpr::format_utc(a).c_str());
    }
    return 0;
}

int run_when(const std::string& expr, const std::string& tz, const std::string& fold, bool json) {
    // The zone growthd would use: --tz, else the config's [schedule] zone, else the system's.
    timeexpr::WhenContext ctx{now_seconds(), tz.empty() ? load_config(paths::config_file()).schedule_zone : tz,
                              timeexpr::Fold::none};
    if (fold == "earlier") ctx.fold = timeexpr::Fold::earlier;
    else if (fold == "later") ctx.fold = timeexpr::Fold::later;
    else if (!fold.empty()) throw Failure(ExitCode::usage, "bad_input", "--fold must be earlier or later, not '" + fold + "'");
    const timeexpr::When when = timeexpr::parse_when(expr, ctx);
    if (json) {
        std::printf("%s\n", rpc::Json{{"instants", rpc::Json::array({timeexpr::format_utc(when.instant)})},
                                      {"tz", when.zone}}.dump().c_str());
        return 0;
    }
    std::printf("%s\n%s\n", timeexpr::format_local(when.instant, timeexpr::find_zone(when.zone)).c_str(),
                timeexpr::format_utc(when.instant).c_str());
    if (when.instant <= ctx.now) std::printf("(in the past: schedule refuses it)\n");
    return 0;
}

}  // namespace

void add_when_options(CLI::App* sub, WhenOptions& o, bool at_required, bool recurring) {
    auto* at = sub->add_option("--at", o.at, "When: 2026-12-24T09:00Z, \"2026-12-24 09:00\", 09:00, +90m, \"in 2 hours\", "
                                             "\"tomorrow 9am\", \"mon 10:30\", \"next friday 8am\"");
    if (at_required) at->required();
    sub->add_option("--tz", o.tz, "Time zone of a local time (IANA name; default: [schedule] zone, else the system's)");
    sub->add_option("--fold", o.fold, "For a local time that happens twice (DST ends): earlier or later")
        ->check(CLI::IsMember({"earlier", "later"}));
    sub->add_option("--catch-up", o.catch_up, "How late it may still go out after a downtime (default 15m)");
    if (!recurring) return;
    sub->add_option("--every", o.every, "Recurring, at a systemd calendar event: \"Mon..Fri 09:00\", weekly, "
                                        "\"*-*-01 12:00\", \"*:0/15\" (see growthctl when --every)");
    sub->add_option("--until", o.until, "With --every: no occurrence after this time (as --at)");
    sub->add_option("--count", o.count, "With --every: this many occurrences in all")->check(CLI::PositiveNumber);
}

std::string describe_due(const rpc::Json& post) {
    const std::string due = string_field(post, "due");
    if (due.empty()) return {};
    try {
        const auto when = timeexpr::parse_when(due, {now_seconds(), "UTC", timeexpr::Fold::none});
        const std::string zone = string_field(post, "tz");
        return fmt::format("{}, {}", timeexpr::format_local(when.instant, timeexpr::find_zone(zone.empty() ? "UTC" : zone)),
                           timeexpr::format_utc(when.instant));
    } catch (const Error&) {
        return due;
    }
}

int report_scheduled(const rpc::Json& result, bool json) {
    if (json) {
        std::printf("%s\n", result.dump().c_str());
        return 0;
    }
    std::string accounts;
    for (const auto& t : result.value("targets", rpc::Json::array())) {
        if (!accounts.empty()) accounts += ", ";
        accounts += fmt::format("{} ({}, {} part{})", string_field(t, "account"), string_field(t, "platform"),
                                t.value("parts", rpc::Json::array()).size(),
                                t.value("parts", rpc::Json::array()).size() == 1 ? "" : "s");
    }
    const std::string id = string_field(result, "id");
    std::printf("post %s scheduled for %s\n  to %s\n", id.c_str(), describe_due(result).c_str(), accounts.c_str());
    if (result.contains("every")) std::printf("  every %s\n", string_field(result, "every").c_str());
    std::printf("growthctl show %s follows it; growthctl cancel %s cancels it\n", id.c_str(), id.c_str());
    return 0;
}

void add_schedule_commands(CLI::App& app, const GlobalOptions& global, int& exit_code) {
    struct ListOptions {
        std::vector<std::string> states;
        std::string account, from, to, tz, cursor;
        int limit = 20;
        bool json = false;
    };
    auto l = std::make_shared<ListOptions>();
    auto* list = app.add_subcommand("list", "List posts, scheduled and past, newest due first");
    list->add_option("--state", l->states, "Only posts in this state (repeatable): scheduled, publishing, published, "
                                           "partial, failed, unknown, missed, canceled, needs_auth");
    list->add_option("--account", l->account, "Only posts to this account");
    list->add_option("--from", l->from, "Only posts due at or after this time (as --at)");
    list->add_option("--to", l->to, "Only posts due at or before this time (as --at)");
    list->add_option("--tz", l->tz, "Time zone of local times in --from and --to");
    list->add_option("--limit", l->limit, "Posts per page (1..1000, default 20)");
    list->add_option("--cursor", l->cursor, "Continue after the page that printed it");
    list->add_flag("--json", l->json, "Print one JSON object for scripts");
    list->callback([l, &global, &exit_code] {
        rpc::Json params = rpc::Json::object();
        if (!l->states.empty()) params["state"] = l->states;
        if (!l->account.empty()) params["account"] = l->account;
        if (!l->from.empty()) params["from"] = l->from;
        if (!l->to.empty()) params["to"] = l->to;
        if (!l->tz.empty()) params["tz"] = l->tz;
        if (!l->cursor.empty()) params["cursor"] = l->cursor;
        params["limit"] = l->limit;
        exit_code = run_list(params, global, global.json || l->json);
    });

    auto cancel_ids = std::make_shared<std::vector<std::string>>();
    auto cancel_json = std::make_shared<bool>(false);
    auto* cancel = app.add_subcommand("cancel", "Cancel what of a post has not gone out (a scheduled post, or the rest "
                                                "of one); published parts stay");
    cancel->add_option("id", *cancel_ids, "Post ids")->required();
    cancel->add_flag("--json", *cancel_json, "Print one JSON object for scripts");
    cancel->callback([cancel_ids, cancel_json, &global, &exit_code] {
        exit_code = run_cancel(*cancel_ids, global, global.json || *cancel_json);
    });

    struct RescheduleOptions {
        std::string id;
        WhenOptions when;
        bool json = false;
    };
    auto r = std::make_shared<RescheduleOptions>();
    auto* reschedule = app.add_subcommand("reschedule", "Move a scheduled post to another time");
    reschedule->add_option("id", r->id, "The post id")->required();
    add_when_options(reschedule, r->when, true);
    reschedule->add_flag("--json", r->json, "Print one JSON object for scripts");
    reschedule->callback([r, &global, &exit_code] {
        rpc::Json params{{"id", r->id}};
        r->when.add_to(params);
        auto connection = connect_daemon(global);
        exit_code = report_scheduled(connection->call("post.reschedule", params), global.json || r->json);
    });

    struct WhenCommand {
        std::string expr, tz, fold;
        bool every = false;
        int count = 5;
        bool json = false;
    };
    auto w = std::make_shared<WhenCommand>();
    auto* when = app.add_subcommand("when", "Show the instant a --at expression means, in local time and UTC");
    when->add_option("expression", w->expr, "As --at: 2026-12-24T09:00Z, \"tomorrow 9am\", +90m, ...")->required();
    when->add_option("--tz", w->tz, "Time zone of a local time (IANA name; default: the system's)");
    when->add_option("--fold", w->fold, "For a local time that happens twice: earlier or later");
    when->add_flag("--every", w->every, "The expression is a --every calendar event: print its next elapses");
    when->add_option("--count", w->count, "With --every: how many elapses (default 5)")->check(CLI::Range(1, 1000));
    when->add_flag("--json", w->json, "Print one JSON object for scripts");
    when->callback([w, &global, &exit_code] {
        const bool json = global.json || w->json;
        if (w->every) {
            const std::string zone = w->tz.empty() ? load_config(paths::config_file()).schedule_zone : w->tz;
            exit_code = run_every(w->expr, zone, w->count, json);
        } else {
            exit_code = run_when(w->expr, w->tz, w->fold, json);
        }
    });
}

}  // namespace growth::cli
