#include "daemon/schedule_methods.hpp"

#include <fmt/format.h>

#include <exception>
#include <random>

#include "core/accounts/accounts.hpp"
#include "core/error.hpp"
#include "core/pipeline/budget.hpp"
#include "core/pipeline/post_json.hpp"
#include "core/pipeline/post_store.hpp"
#include "core/pipeline/schedule.hpp"
#include "core/time/calendar.hpp"
#include "core/time/when.hpp"

namespace growth::daemon {

namespace {

using rpc::Json;
using rpc::ParamSpec;
using rpc::ParamType;

/// The context local times in `params` are read in: growthd's clock, "tz" or the configured zone.
timeexpr::WhenContext context_of(const Json& params, const PostServices& services, pipeline::Millis now) {
    timeexpr::WhenContext ctx;
    ctx.now = std::chrono::floor<std::chrono::seconds>(std::chrono::sys_time<std::chrono::milliseconds>(
        std::chrono::milliseconds(now)));
    ctx.zone = params.value("tz", services.zone);
    return ctx;
}

timeexpr::Fold fold_of(const Json& params) {
    const std::string f = params.value("fold", std::string());
    if (f.empty()) return timeexpr::Fold::none;
    if (f == "earlier") return timeexpr::Fold::earlier;
    if (f == "later") return timeexpr::Fold::later;
    throw Error("bad_input", fmt::format("--fold must be earlier or later, not '{}'", f));
}

/// The due time, zone and catch-up window of params "at", "tz", "fold" and "catch_up". A time
/// that is not in the future is refused: the post would be missed or sent at once by surprise.
pipeline::Schedule schedule_from(const Json& params, const PostServices& services, pipeline::Millis now) {
    timeexpr::WhenContext ctx = context_of(params, services, now);
    ctx.fold = fold_of(params);
    pipeline::Schedule s;
    std::optional<timeexpr::CalendarEvent> every;
    if (params.contains("every")) {
        every = timeexpr::CalendarEvent::parse(params["every"].get<std::string>());
        s.every = every->normalized();
    }
    if (!params.contains("at") && !every) throw Error("bad_input", "say when: --at WHEN, or --every CALENDAR for a recurring post");
    std::string at;
    timeexpr::When when;
    if (params.contains("at")) {
        at = params["at"].get<std::string>();
        when = timeexpr::parse_when(at, ctx);
    } else {
        // The first occurrence of the calendar from now on, in the zone local times are in.
        const std::string zone = ctx.zone.empty() ? timeexpr::system_zone_name() : ctx.zone;
        const auto first = every->next_after(ctx.now, timeexpr::find_zone(zone));
        if (!first) throw Error("bad_input", fmt::format("calendar '{}' never elapses again", s.every));
        at = s.every;
        when = {*first, every->zone_name().empty() ? zone : every->zone_name()};
    }
    s.due_at = std::chrono::duration_cast<std::chrono::milliseconds>(when.instant.time_since_epoch()).count();
    s.tz = when.zone;
    if (every && params.contains("until")) {
        const auto until = timeexpr::parse_when(params["until"].get<std::string>(), ctx);
        s.until = std::chrono::duration_cast<std::chrono::milliseconds>(until.instant.time_since_epoch()).count();
        if (*s.until < s.due_at) throw Error("bad_input", fmt::format("--until {} is before the first occurrence ({})",
                                                                     timeexpr::format_utc(until.instant),
                                                                     timeexpr::format_utc(when.instant)));
    }
    if (every && params.contains("count")) {
        s.count = params["count"].get<int>();
        if (*s.count < 1 || *s.count > 1'000'000) throw Error("bad_input", fmt::format("--count {} is out of range (1..1000000)", *s.count));
    }
    if (!every && (params.contains("until") || params.contains("count"))) {
        throw Error("bad_input", "--until and --count need --every (they bound a recurring post)");
    }
    if (s.due_at <= now) {
        throw Error("bad_input", fmt::format("'{}' is {}, which is not in the future (now {})", at,
                                             timeexpr::format_utc(when.instant),
                                             timeexpr::format_utc(ctx.now)));
    }
    s.catch_up_ms = services.catch_up_ms;
    if (params.contains("catch_up")) {
        s.catch_up_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                            timeexpr::parse_duration(params["catch_up"].get<std::string>()))
                            .count();
    }
    return s;
}

std::optional<pipeline::Millis> instant_param(const Json& params, const char* key, const PostServices& services,
                                              pipeline::Millis now) {
    if (!params.contains(key)) return std::nullopt;
    timeexpr::WhenContext ctx = context_of(params, services, now);
    const auto when = timeexpr::parse_when(params[key].get<std::string>(), ctx);
    return std::chrono::duration_cast<std::chrono::milliseconds>(when.instant.time_since_epoch()).count();
}

}  // namespace

void add_schedule_methods(rpc::MethodTable& table, PostServices& services) {
    const std::vector<ParamSpec> when_params = {
        ParamSpec{"at", ParamType::string, false, "when: RFC 3339, local date-time, +90m, tomorrow 09:00, ... "
                                                  "(default with every: its first elapse)"},
        ParamSpec{"tz", ParamType::string, false, "IANA zone of a local time (default: [schedule] zone, else the system's)"},
        ParamSpec{"fold", ParamType::string, false, "earlier or later, for a local time that happens twice"},
        ParamSpec{"catch_up", ParamType::string, false, "how late it may still go out after a downtime (e.g. 15m)"},
    };
    std::vector<ParamSpec> schedule_params = {
        ParamSpec{"every", ParamType::string, false, "recurring: a systemd calendar event (Mon..Fri 09:00, weekly, ...)"},
        ParamSpec{"until", ParamType::string, false, "with every: no occurrence after this time"},
        ParamSpec{"count", ParamType::integer, false, "with every: this many occurrences in all"},
        ParamSpec{"text", ParamType::string, true, "the text (split per platform)"},
        ParamSpec{"to", ParamType::array, false, "account names or platform names"},
        ParamSpec{"numbering", ParamType::string, false, "none, 1/n, (1/n) or 🧵 1/n"},
        ParamSpec{"media_url", ParamType::string, false, "a public image URL (Instagram needs one)"},
        ParamSpec{"dry_run", ParamType::boolean, false, "show the parts and the due time; store nothing"},
    };
    schedule_params.insert(schedule_params.end(), when_params.begin(), when_params.end());
    table.add({"post.schedule",
               "Records a post to publish at a later time: split and checked now, published by growthd at "
               "its due time (within the catch-up window after a downtime, else missed). Result as post.show, "
               "with \"due\" (RFC 3339 UTC) and \"tz\".",
               schedule_params, true},
              [&services](const Json& params) {
                  const pipeline::Millis now = now_ms();
                  const pipeline::Schedule when = schedule_from(params, services, now);
                  pipeline::PostPlan plan = plan_from(services.store, params, services.bounds);
                  if (params.value("dry_run", false)) {
                      Json out = pipeline::plan_json(plan);
                      out["due"] = pipeline::iso_millis(when.due_at);
                      out["tz"] = when.tz;
                      return out;
                  }
                  plan.schedule = when;
                  static std::mt19937 random{std::random_device{}()};
                  const std::string id = pipeline::insert_post(services.store, plan, now,
                                                               [] { return static_cast<std::uint32_t>(random()); });
                  services.queue_changed();
                  return services.publishing.show(id);
              });
    table.add({"post.reschedule", "Moves a scheduled post to another time. Result as post.show.",
               {ParamSpec{"id", ParamType::string, true, "the post id"}, when_params[0], when_params[1],
                when_params[2], when_params[3]},
               true},
              [&services](const Json& params) {
                  const std::string id = params["id"].get<std::string>();
                  pipeline::load_post(services.store, id);  // post_not_found before the time's errors
                  if (!params.contains("at")) throw Error("invalid_params", "post.reschedule: 'at' is required");
                  // Only the time moves: a recurring post keeps its series (every, until, count).
                  const pipeline::Schedule when = schedule_from(params, services, now_ms());
                  pipeline::reschedule_post(services.store, id, when, now_ms());
                  services.queue_changed();
                  return services.publishing.show(id);
              });
    table.add_deferred(
        {"post.cancel",
         "Cancels what of a post has not gone out: a scheduled post, the parts that wait (prepared, "
         "retry_wait, missed, needs_auth), and the rest of a target publishing now after its current part "
         "(the answer comes once it has stopped). Published parts stay published. Result as post.show.",
         {ParamSpec{"id", ParamType::string, true, "the post id"}},
         true},
        [&services](const Json& params, const rpc::CallContext&, rpc::Responder reply) {
            const std::string id = params["id"].get<std::string>();
            std::exception_ptr nothing_waits;
            try {
                pipeline::cancel_post(services.store, id, services.publishing.running_ids(), now_ms());
            } catch (const Error& e) {
                // Nothing waited, but a target publishing now can still stop after its part.
                if (e.kind() != "not_cancelable") throw;
                nothing_waits = std::current_exception();
            }
            const int stopping = services.publishing.stop_after_current(id);
            if (nothing_waits && stopping == 0) std::rethrow_exception(nothing_waits);
            services.queue_changed();
            if (stopping > 0) {
                services.publishing.when_settled(id, reply);
            } else {
                reply.result(services.publishing.show(id));
            }
        });
    table.add({"account.quota",
               "Each account's posting budgets now: {\"accounts\":[{\"account\",\"platform\",\"budgets\":"
               "[{\"limit\",\"window_seconds\",\"used\",\"remaining\",\"frees_at\"}]}]}; frees_at (RFC 3339 UTC, "
               "null when nothing is used) is when the oldest counted part leaves the window.",
               {ParamSpec{"account", ParamType::string, false, "only this account"}},
               false},
              [&services](const Json& params) {
                  std::vector<accounts::Account> list;
                  if (params.contains("account")) {
                      list.push_back(accounts::get(services.store, params["account"].get<std::string>()));
                  } else {
                      list = accounts::list(services.store);
                  }
                  const pipeline::Millis now = now_ms();
                  Json out = Json::array();
                  for (const auto& a : list) {
                      const auto& rules = services.publishing.budgets()[static_cast<std::size_t>(a.platform)];
                      const auto published =
                          pipeline::published_since(services.store, a.id, now - pipeline::longest_window(rules));
                      Json budgets = Json::array();
                      for (const auto& u : pipeline::quota_use(rules, published, now)) {
                          budgets.push_back({{"limit", u.rule.count},
                                             {"window_seconds", u.rule.window_ms / 1000},
                                             {"used", u.used},
                                             {"remaining", u.remaining},
                                             {"frees_at", u.frees_at ? Json(pipeline::iso_millis(*u.frees_at)) : Json()}});
                      }
                      out.push_back({{"account", a.name},
                                     {"platform", std::string(platform_name(a.platform))},
                                     {"budgets", budgets}});
                  }
                  return Json{{"accounts", out}};
              });
    table.add({"post.list",
               "Posts, newest due (or recorded) first, by pages: {\"posts\":[{\"id\",\"state\",\"due\",\"tz\","
               "\"targets\":[{\"account\",\"platform\",\"state\"}],\"text\"}],\"next_cursor\"}.",
               {ParamSpec{"state", ParamType::array, false, "only these states (scheduled, publishing, published, ...)"},
                ParamSpec{"account", ParamType::string, false, "only posts to this account"},
                ParamSpec{"from", ParamType::string, false, "due at or after (a WHEN expression)"},
                ParamSpec{"to", ParamType::string, false, "due at or before (a WHEN expression)"},
                ParamSpec{"tz", ParamType::string, false, "zone of local times in from/to"},
                ParamSpec{"limit", ParamType::integer, false, "posts per page, 1..1000 (default 50)"},
                ParamSpec{"cursor", ParamType::string, false, "next_cursor of the previous page"}},
               false},
              [&services](const Json& params) {
                  pipeline::ListQuery q;
                  if (params.contains("state")) {
                      for (const auto& s : params["state"]) {
                          if (!s.is_string()) throw Error("invalid_params", "post.list: 'state' must be an array of strings");
                          q.states.push_back(s.get<std::string>());
                      }
                  }
                  q.account = params.value("account", std::string());
                  const pipeline::Millis now = now_ms();
                  q.from = instant_param(params, "from", services, now);
                  q.to = instant_param(params, "to", services, now);
                  if (params.contains("limit")) q.limit = params["limit"].get<int>();
                  q.cursor = params.value("cursor", std::string());
                  return pipeline::list_posts(services.store, q);
              });
}

}  // namespace growth::daemon
