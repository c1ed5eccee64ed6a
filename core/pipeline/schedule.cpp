#include "core/pipeline/schedule.hpp"

#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <charconv>

#include "core/error.hpp"
#include "core/pipeline/post_json.hpp"
#include "core/pipeline/progress.hpp"
#include "core/store/sqlite_error.hpp"
#include "core/time/calendar.hpp"
#include "core/time/when.hpp"

namespace growth::pipeline {

namespace {

std::optional<Millis> single_int(Store& store, const char* sql) {
    auto q = store.statement(sql);
    if (!q->executeStep() || q->getColumn(0).isNull()) return std::nullopt;
    return q->getColumn(0).getInt64();
}

// Sets every part of target `target_id` in one of `from` (an SQL list of quoted states) to `to`.
// `+state` keeps SQLite off the state index, which holds every queued part (it would walk a
// million 'scheduled' rows per post fired); the (target_id, idx) key finds the target's few parts.
int move_target_parts(Store& store, std::int64_t target_id, const char* from, const char* to,
                      const std::string& error_kind, const std::string& message, Millis now) {
    auto u = store.statement(fmt::format("UPDATE parts SET state = ?1, last_error_kind = ?2, last_error = ?3, "
                                        "next_attempt_at = NULL, updated_at = ?4 "
                                        "WHERE target_id = ?5 AND +state IN ({})",
                                        from));
    u->bind(1, to);
    if (error_kind.empty()) {
        u->bind(2);
        u->bind(3);
    } else {
        u->bind(2, error_kind);
        u->bind(3, message);
    }
    u->bind(4, static_cast<std::int64_t>(now));
    u->bind(5, static_cast<std::int64_t>(target_id));
    return u->exec();
}

int move_parts(Store& store, const std::string& id, const char* from, const char* to,
               const std::string& error_kind, const std::string& message, Millis now,
               const std::set<std::int64_t>& skip_targets = {}) {
    int changed = 0;
    auto targets = store.statement("SELECT id FROM targets WHERE post_id = ?");
    targets->bind(1, id);
    std::vector<std::int64_t> ids;
    while (targets->executeStep()) ids.push_back(targets->getColumn(0).getInt64());
    for (const auto t : ids) {
        if (skip_targets.count(t) == 0) changed += move_target_parts(store, t, from, to, error_kind, message, now);
    }
    return changed;
}

constexpr const char* cancelable_states = "'scheduled', 'prepared', 'retry_wait', 'missed', 'needs_auth'";
constexpr const char* canceled_message = "canceled by growthctl cancel";

// The next occurrence of recurring `post` due at `due`, as a plan: the same text, options and
// threads on the accounts that still exist, scheduled, with one occurrence fewer.
std::optional<PostPlan> occurrence_plan(const PostRecord& post, Millis due) {
    PostPlan plan;
    plan.text = post.text;
    plan.options.media_url = post.options.value("media_url", std::string());
    if (const auto n = text::parse_numbering(post.options.value("numbering", std::string("none")))) plan.options.numbering = *n;
    Schedule s;
    s.due_at = due;
    s.tz = post.tz;
    s.catch_up_ms = catch_up_of(post);
    s.every = post.options.value("every", std::string());
    if (post.options.contains("until_ms")) s.until = post.options["until_ms"].get<Millis>();
    if (post.options.contains("count")) s.count = post.options["count"].get<int>() - 1;
    plan.schedule = s;
    for (const auto& t : post.targets) {
        if (!t.account_id) continue;  // the account was removed: the series goes on without it
        PlannedTarget pt;
        pt.account.id = *t.account_id;
        pt.account.name = t.account;
        pt.account.platform = t.platform;
        for (const auto& p : t.parts) {
            text::Part part;
            part.text = p.text;
            pt.parts.push_back(std::move(part));
        }
        plan.targets.push_back(std::move(pt));
    }
    if (plan.targets.empty()) return std::nullopt;
    return plan;
}

std::string stored_state(Store& store, const std::string& id) {
    auto q = store.statement("SELECT state FROM posts WHERE id = ?");
    q->bind(1, id);
    if (!q->executeStep()) throw Error("post_not_found", "no post with id '" + id + "'");
    return q->getColumn(0).getString();
}

}  // namespace

std::optional<Millis> next_wakeup(Store& store, Millis after) {
    return guarded(store, [&]() -> std::optional<Millis> {
        // Each MIN() is one step down its index.
        const auto post = single_int(store, "SELECT min(due_at) FROM posts WHERE state = 'scheduled'");
        auto q = store.statement("SELECT min(next_attempt_at) FROM parts WHERE state = 'retry_wait' AND next_attempt_at > ?");
        q->bind(1, static_cast<std::int64_t>(after));
        std::optional<Millis> retry;
        if (q->executeStep() && !q->getColumn(0).isNull()) retry = q->getColumn(0).getInt64();
        if (post && retry) return std::min(*post, *retry);
        return post ? post : retry;
    });
}

std::vector<std::string> due_posts(Store& store, Millis now, int limit) {
    return guarded(store, [&] {
        auto q = store.statement("SELECT id FROM posts WHERE state = 'scheduled' AND due_at <= ? "
                                        "ORDER BY due_at, id LIMIT ?");
        q->bind(1, static_cast<std::int64_t>(now));
        q->bind(2, limit);
        std::vector<std::string> ids;
        while (q->executeStep()) ids.push_back(q->getColumn(0).getString());
        return ids;
    });
}

std::vector<std::int64_t> retry_due_targets(Store& store, Millis now, int limit) {
    return guarded(store, [&] {
        // A target waits on its first unpublished part only: later parts are never in retry_wait
        // while an earlier one is not published, so every retry_wait part is that first one.
        auto q = store.statement("SELECT DISTINCT target_id FROM parts WHERE state = 'retry_wait' "
                                        "AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?");
        q->bind(1, static_cast<std::int64_t>(now));
        q->bind(2, limit);
        std::vector<std::int64_t> ids;
        while (q->executeStep()) ids.push_back(q->getColumn(0).getInt64());
        return ids;
    });
}

std::optional<Millis> next_occurrence(const PostRecord& post, Millis now) {
    const std::string every = post.options.value("every", std::string());
    if (every.empty() || !post.due_at) return std::nullopt;
    if (post.options.contains("count") && post.options["count"].get<int>() <= 1) return std::nullopt;
    try {
        const auto event = timeexpr::CalendarEvent::parse(every);
        const auto after = std::chrono::floor<std::chrono::seconds>(
            std::chrono::sys_time<std::chrono::milliseconds>(
                std::chrono::milliseconds(std::max(*post.due_at, now - catch_up_of(post)))));
        const auto next = event.next_after(after, timeexpr::find_zone(post.tz.empty() ? "UTC" : post.tz));
        if (!next) return std::nullopt;
        const Millis at = std::chrono::duration_cast<std::chrono::milliseconds>(next->time_since_epoch()).count();
        if (post.options.contains("until_ms") && at > post.options["until_ms"].get<Millis>()) return std::nullopt;
        return at;
    } catch (const Error&) {
        return std::nullopt;  // checked when scheduled; a zone gone from the system ends the series
    }
}

namespace {

// fire_post's work, inside the caller's transaction.
Fired fire_in(Store& store, const std::string& id, Millis now, const RandomBits& random) {
    if (stored_state(store, id) != "scheduled") return Fired::skipped;
    const PostRecord post = load_post(store, id);
    // The series goes on in the same transaction: a crash fires neither or both.
    if (const auto next = next_occurrence(post, now)) {
        if (auto plan = occurrence_plan(post, *next)) insert_post_rows(store, *plan, now, random);
    }
    const bool late = missed_window(due_of(post), now, catch_up_of(post));
    if (late) {
        move_parts(store, id, "'scheduled'", "missed", "missed", missed_message(post), now);
    } else {
        move_parts(store, id, "'scheduled'", "prepared", "", "", now);
    }
    // 'prepared' until the publish service writes what it becomes; missed as its parts are.
    if (late) {
        write_summary_states(store, id, now);
    } else {
        // `+state`: by the (post_id, account) key, not the state index (see move_target_parts).
        auto t = store.statement("UPDATE targets SET state = 'prepared', updated_at = ? "
                                        "WHERE post_id = ? AND +state = 'scheduled'");
        t->bind(1, static_cast<std::int64_t>(now));
        t->bind(2, id);
        t->exec();
        auto p = store.statement("UPDATE posts SET state = 'prepared', updated_at = ? WHERE id = ?");
        p->bind(1, static_cast<std::int64_t>(now));
        p->bind(2, id);
        p->exec();
    }
    return late ? Fired::missed : Fired::started;
}

}  // namespace

Fired fire_post(Store& store, const std::string& id, Millis now, const RandomBits& random) {
    return fire_posts(store, {id}, now, random).at(0);
}

std::vector<Fired> fire_posts(Store& store, const std::vector<std::string>& ids, Millis now, const RandomBits& random) {
    if (ids.empty()) return {};
    return guarded(store, [&] {
        WriteTransaction tx(store);
        std::vector<Fired> out;
        out.reserve(ids.size());
        for (const auto& id : ids) out.push_back(fire_in(store, id, now, random));
        tx.commit();
        return out;
    });
}

Cancelled cancel_post(Store& store, const std::string& id, const std::set<std::int64_t>& running, Millis now) {
    return guarded(store, [&] {
        WriteTransaction tx(store);
        stored_state(store, id);  // post_not_found first
        Cancelled out;
        out.parts = move_parts(store, id, cancelable_states, "canceled", "canceled", canceled_message, now, running);
        if (out.parts == 0) {
            // (A target running now is stopped after its current part by post.cancel itself.)
            throw Error("not_cancelable", fmt::format("post {} is {}: nothing of it waits to go out", id,
                                                      list_state(stored_state(store, id))));
        }
        const PostRecord after = write_summary_states(store, id, now);
        tx.commit();
        out.post_state = after.state;
        return out;
    });
}

int cancel_waiting_parts(Store& store, std::int64_t target_id, Millis now) {
    return guarded(store, [&] {
        return move_target_parts(store, target_id, cancelable_states, "canceled", "canceled", canceled_message, now);
    });
}

void reschedule_post(Store& store, const std::string& id, const Schedule& when, Millis now) {
    guarded(store, [&] {
        WriteTransaction tx(store);
        const std::string state = stored_state(store, id);
        if (state != "scheduled") {
            throw Error("not_scheduled", fmt::format("post {} is {}, not scheduled: only a post waiting for its "
                                                     "time can be moved", id, list_state(state)));
        }
        PostRecord post = load_post(store, id);
        post.options["catch_up_ms"] = when.catch_up_ms;
        SQLite::Statement u(store.db(), "UPDATE posts SET due_at = ?, tz = ?, options = ?, updated_at = ? WHERE id = ?");
        u.bind(1, static_cast<std::int64_t>(when.due_at));
        u.bind(2, when.tz);
        u.bind(3, post.options.dump());
        u.bind(4, static_cast<std::int64_t>(now));
        u.bind(5, id);
        u.exec();
        tx.commit();
        return 0;
    });
}

bool is_scheduled(Store& store, const std::string& id) {
    return guarded(store, [&] { return stored_state(store, id) == "scheduled"; });
}

std::string_view list_state(std::string_view stored) noexcept {
    if (stored == "prepared" || stored == "due" || stored == "sending") return "publishing";
    return stored;
}

const std::vector<std::string>& list_states() {
    static const std::vector<std::string> states = {"scheduled", "publishing", "published", "partial", "failed",
                                                    "unknown",   "missed",     "canceled",  "needs_auth"};
    return states;
}

rpc::Json list_posts(Store& store, const ListQuery& query) {
    std::string where = "1";
    std::vector<std::string> stored;
    for (const auto& s : query.states) {
        if (std::find(list_states().begin(), list_states().end(), s) == list_states().end()) {
            throw Error("bad_input", fmt::format("unknown post state '{}' (one of: {})", s,
                                                 fmt::join(list_states(), ", ")));
        }
        if (s == "publishing") {
            stored.insert(stored.end(), {"prepared", "due", "sending"});
        } else {
            stored.push_back(s);
        }
    }
    Millis cursor_when = 0;
    std::string cursor_id;
    if (!query.cursor.empty()) {
        const auto dot = query.cursor.find('.');
        const char* end = query.cursor.data() + (dot == std::string::npos ? 0 : dot);
        const auto [ptr, ec] = std::from_chars(query.cursor.data(), end, cursor_when);
        if (dot == std::string::npos || ec != std::errc() || ptr != end || dot + 1 >= query.cursor.size()) {
            throw Error("bad_input", fmt::format("cursor '{}' is not one post.list returned", query.cursor));
        }
        cursor_id = query.cursor.substr(dot + 1);
    }
    if (query.limit < 1 || query.limit > 1000) {
        throw Error("bad_input", fmt::format("limit {} is out of range (1..1000)", query.limit));
    }
    return guarded(store, [&] {
        auto& db = store.db();
        std::string sql = "SELECT id, state, coalesce(due_at, created_at) AS at, tz, text FROM posts WHERE 1";
        if (!stored.empty()) {
            sql += " AND state IN (";
            for (std::size_t i = 0; i < stored.size(); ++i) sql += i == 0 ? "?" : ", ?";
            sql += ")";
        }
        if (!query.account.empty()) sql += " AND EXISTS (SELECT 1 FROM targets WHERE targets.post_id = posts.id AND account = ?)";
        if (query.from) sql += " AND coalesce(due_at, created_at) >= ?";
        if (query.to) sql += " AND coalesce(due_at, created_at) <= ?";
        if (!query.cursor.empty()) sql += " AND (coalesce(due_at, created_at), id) < (?, ?)";
        sql += " ORDER BY coalesce(due_at, created_at) DESC, id DESC LIMIT ?";
        SQLite::Statement q(db, sql);
        int i = 1;
        for (const auto& s : stored) q.bind(i++, s);
        if (!query.account.empty()) q.bind(i++, query.account);
        if (query.from) q.bind(i++, static_cast<std::int64_t>(*query.from));
        if (query.to) q.bind(i++, static_cast<std::int64_t>(*query.to));
        if (!query.cursor.empty()) {
            q.bind(i++, static_cast<std::int64_t>(cursor_when));
            q.bind(i++, cursor_id);
        }
        q.bind(i, query.limit + 1);  // one more tells whether a next page exists
        rpc::Json posts = rpc::Json::array();
        std::string next;
        SQLite::Statement targets(db, "SELECT account, platform, state FROM targets WHERE post_id = ? ORDER BY id");
        while (q.executeStep()) {
            const std::string id = q.getColumn(0).getString();
            const Millis at = q.getColumn(2).getInt64();
            if (static_cast<int>(posts.size()) == query.limit) break;
            rpc::Json p = rpc::Json::object();
            p["id"] = id;
            p["state"] = std::string(list_state(q.getColumn(1).getString()));
            p["due"] = iso_millis(at);
            p["tz"] = q.getColumn(3).isNull() ? rpc::Json(nullptr) : rpc::Json(q.getColumn(3).getString());
            rpc::Json ts = rpc::Json::array();
            targets.reset();
            targets.bind(1, id);
            while (targets.executeStep()) {
                ts.push_back({{"account", targets.getColumn(0).getString()},
                              {"platform", targets.getColumn(1).getString()},
                              {"state", std::string(list_state(targets.getColumn(2).getString()))}});
            }
            p["targets"] = std::move(ts);
            p["text"] = q.getColumn(4).getString();
            posts.push_back(std::move(p));
            next = fmt::format("{}.{}", at, id);
        }
        const bool more = q.hasRow();
        rpc::Json out = rpc::Json::object();
        out["posts"] = std::move(posts);
        out["next_cursor"] = more ? rpc::Json(next) : rpc::Json(nullptr);
        return out;
    });
}

}  // namespace growth::pipeline
