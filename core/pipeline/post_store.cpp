#include "core/pipeline/post_store.hpp"

#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>

#include <chrono>

#include "core/error.hpp"
#include "core/pipeline/post_id.hpp"
#include "core/pipeline/record_keys.hpp"
#include "core/pipeline/progress.hpp"
#include "core/publish/bluesky_tid.hpp"
#include "core/store/sqlite_error.hpp"

namespace growth::pipeline {

namespace {

std::string random_key(const RandomBits& random) {
    // 128 bits as a UUID-shaped hex string (Mastodon accepts any string as the key).
    char buf[37];
    std::uint32_t w[4] = {random(), random(), random(), random()};
    std::snprintf(buf, sizeof buf, "%08x-%04x-%04x-%04x-%04x%08x", w[0], w[1] >> 16U,
                  (w[1] & 0x0fffU) | 0x4000U, ((w[2] >> 16U) & 0x3fffU) | 0x8000U, w[2] & 0xffffU,
                  w[3]);
    return buf;
}

std::optional<Millis> opt_int(const SQLite::Column& c) {
    if (c.isNull()) return std::nullopt;
    return c.getInt64();
}

std::string text_of(const SQLite::Column& c) { return c.isNull() ? std::string() : c.getString(); }

void bind_opt(SQLite::Statement& s, int i, const std::optional<Millis>& v) {
    if (v) s.bind(i, static_cast<std::int64_t>(*v));
    else s.bind(i);
}

void bind_text_or_null(SQLite::Statement& s, int i, const std::string& v) {
    if (v.empty()) s.bind(i);
    else s.bind(i, v);
}

std::vector<PartRecord> load_parts(Store& store, std::int64_t target_id) {
    auto q = store.statement("SELECT id, idx, text, state, idempotency_key, record_key, container_id, "
                        "remote_id, remote_cid, remote_url, attempts, next_attempt_at, "
                        "first_attempt_at, last_error_kind, last_error, verify_on_retry "
                        "FROM parts WHERE target_id = ? ORDER BY idx");
    q->bind(1, static_cast<std::int64_t>(target_id));
    std::vector<PartRecord> parts;
    while (q->executeStep()) {
        PartRecord p;
        p.id = q->getColumn(0).getInt64();
        p.target_id = target_id;
        p.index = q->getColumn(1).getInt();
        p.text = q->getColumn(2).getString();
        p.state = parse_part_state(q->getColumn(3).getString()).value_or(PartState::failed);
        p.idempotency_key = text_of(q->getColumn(4));
        p.record_key = text_of(q->getColumn(5));
        p.container_id = text_of(q->getColumn(6));
        p.remote_id = text_of(q->getColumn(7));
        p.remote_cid = text_of(q->getColumn(8));
        p.remote_url = text_of(q->getColumn(9));
        p.attempts = q->getColumn(10).getInt();
        p.next_attempt_at = opt_int(q->getColumn(11));
        p.first_attempt_at = opt_int(q->getColumn(12));
        p.last_error_kind = text_of(q->getColumn(13));
        p.last_error = text_of(q->getColumn(14));
        p.verify_on_retry = q->getColumn(15).getInt() != 0;
        parts.push_back(std::move(p));
    }
    return parts;
}

TargetRecord target_from_row(Store& store, SQLite::Statement& q) {
    TargetRecord t;
    t.id = q.getColumn(0).getInt64();
    t.post_id = q.getColumn(1).getString();
    if (!q.getColumn(2).isNull()) t.account_id = q.getColumn(2).getInt64();
    t.account = q.getColumn(3).getString();
    t.platform = publish::parse_platform(q.getColumn(4).getString()).value_or(publish::Platform::x);
    t.state = q.getColumn(5).getString();
    t.parts = load_parts(store, t.id);
    return t;
}

constexpr const char* target_columns = "SELECT id, post_id, account_id, account, platform, state FROM targets ";

void exec_part_update(Store& store, const char* sql, const std::function<void(SQLite::Statement&)>& bind) {
    guarded(store, [&] {
        WriteTransaction tx(store);
        auto s = store.statement(sql);
        bind(*s);
        s->exec();
        tx.commit();
        return 0;
    });
}

}  // namespace

std::string insert_post(Store& store, const PostPlan& plan, Millis now, const RandomBits& random) {
    return guarded(store, [&] {
        WriteTransaction tx(store);
        std::string id = insert_post_rows(store, plan, now, random);
        tx.commit();
        return id;
    });
}

std::string insert_post_rows(Store& store, const PostPlan& plan, Millis now, const RandomBits& random) {
    return guarded(store, [&] {
        auto& db = store.db();
        std::string id;
        for (int attempt = 0;; ++attempt) {
            id = make_post_id(publish::Instant(std::chrono::milliseconds(now)), random());
            auto exists = store.statement("SELECT 1 FROM posts WHERE id = ?");
            exists->bind(1, id);
            if (!exists->executeStep()) break;
            if (attempt > 100) throw Error("store_error", "cannot find a free post id");
        }
        rpc::Json options = rpc::Json::object();
        if (!plan.options.media_url.empty()) options["media_url"] = plan.options.media_url;
        options["numbering"] = std::string(text::numbering_name(plan.options.numbering));
        // A scheduled post waits in 'scheduled' (its keys already chosen) until the scheduler
        // moves it to 'prepared' at its due time; one published now is 'prepared' at once.
        const std::string state = plan.schedule ? "scheduled" : "prepared";
        if (plan.schedule) {
            options["catch_up_ms"] = plan.schedule->catch_up_ms;
            if (!plan.schedule->every.empty()) {
                options["every"] = plan.schedule->every;
                if (plan.schedule->until) options["until_ms"] = *plan.schedule->until;
                if (plan.schedule->count) options["count"] = *plan.schedule->count;
            }
        }
        auto post = store.statement("INSERT INTO posts (id, text, state, options, due_at, tz, created_at, updated_at) "
                                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        post->bind(1, id);
        post->bind(2, plan.text);
        post->bind(3, state);
        post->bind(4, options.dump());
        bind_opt(*post, 5, plan.schedule ? std::optional<Millis>(plan.schedule->due_at) : std::nullopt);
        bind_text_or_null(*post, 6, plan.schedule ? plan.schedule->tz : std::string());
        post->bind(7, static_cast<std::int64_t>(now));
        post->bind(8, static_cast<std::int64_t>(now));
        post->exec();
        const auto clock_id = static_cast<std::uint16_t>(random() % 1024);
        for (const auto& t : plan.targets) {
            auto target = store.statement("INSERT INTO targets (post_id, account_id, account, platform, "
                                         "state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
            target->bind(1, id);
            target->bind(2, static_cast<std::int64_t>(t.account.id));
            target->bind(3, t.account.name);
            target->bind(4, std::string(publish::platform_name(t.account.platform)));
            target->bind(5, state);
            target->bind(6, static_cast<std::int64_t>(now));
            target->bind(7, static_cast<std::int64_t>(now));
            target->exec();
            const std::int64_t target_id = db.getLastInsertRowid();
            int index = 1;
            for (const auto& p : t.parts) {
                auto part = store.statement("INSERT INTO parts (target_id, idx, text, state, idempotency_key, "
                                           "record_key, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
                part->bind(1, static_cast<std::int64_t>(target_id));
                part->bind(2, index++);
                part->bind(3, p.text);
                part->bind(4, state);
                std::string key, rkey;
                if (t.account.platform == publish::Platform::mastodon) key = random_key(random);
                if (t.account.platform == publish::Platform::bluesky) {
                    rkey = next_record_key(db, t.account.id, now, clock_id);
                    // The unique index on idempotency_key spans every platform: prefix it.
                    key = "bsky:" + std::to_string(target_id) + ":" + rkey;
                }
                bind_text_or_null(*part, 5, key);
                bind_text_or_null(*part, 6, rkey);
                part->bind(7, static_cast<std::int64_t>(now));
                part->bind(8, static_cast<std::int64_t>(now));
                part->exec();
            }
        }
        return id;
    });
}

PostRecord load_post(Store& store, std::string_view id) {
    return guarded(store, [&] {
        auto q = store.statement("SELECT id, text, state, options, created_at, due_at, tz FROM posts WHERE id = ?");
        q->bind(1, std::string(id));
        if (!q->executeStep()) throw Error("post_not_found", "no post with id '" + std::string(id) + "'");
        PostRecord post;
        post.id = q->getColumn(0).getString();
        post.text = q->getColumn(1).getString();
        post.state = q->getColumn(2).getString();
        post.options = rpc::Json::parse(q->getColumn(3).getString(), nullptr, false);
        if (!post.options.is_object()) post.options = rpc::Json::object();
        post.created_at = q->getColumn(4).getInt64();
        post.due_at = opt_int(q->getColumn(5));
        post.tz = text_of(q->getColumn(6));
        auto t = store.statement(std::string(target_columns) + "WHERE post_id = ? ORDER BY id");
        t->bind(1, post.id);
        while (t->executeStep()) post.targets.push_back(target_from_row(store, *t));
        return post;
    });
}

TargetRecord load_target(Store& store, std::int64_t target_id) {
    return guarded(store, [&] {
        auto t = store.statement(std::string(target_columns) + "WHERE id = ?");
        t->bind(1, static_cast<std::int64_t>(target_id));
        if (!t->executeStep()) throw Error("post_not_found", "no target " + std::to_string(target_id));
        return target_from_row(store, *t);
    });
}

void save_container(Store& store, std::int64_t part_id, const std::string& container_id, Millis now) {
    exec_part_update(store, "UPDATE parts SET container_id = ?, updated_at = ? WHERE id = ?",
                     [&](SQLite::Statement& s) {
                         s.bind(1, container_id);
                         s.bind(2, static_cast<std::int64_t>(now));
                         s.bind(3, static_cast<std::int64_t>(part_id));
                     });
}

namespace {

void sending_in(Store& store, std::int64_t part_id, Millis now) {
    auto s = store.statement("UPDATE parts SET state = 'sending', attempts = attempts + 1, "
                        "last_attempt_at = ?1, first_attempt_at = coalesce(first_attempt_at, ?1), "
                        "verify_on_retry = CASE WHEN state IN ('sending', 'unknown') THEN 1 "
                        "ELSE verify_on_retry END, next_attempt_at = NULL, updated_at = ?1 WHERE id = ?2");
    s->bind(1, static_cast<std::int64_t>(now));
    s->bind(2, static_cast<std::int64_t>(part_id));
    s->exec();
}

void published_in(Store& store, std::int64_t part_id, const publish::Published& published,
                  Millis now) {
    auto s = store.statement("UPDATE parts SET state = 'published', remote_id = ?1, remote_cid = ?2, "
                        "remote_url = ?3, published_at = ?4, updated_at = ?4, last_error_kind = NULL, "
                        "last_error = NULL, next_attempt_at = NULL, verify_on_retry = 0 WHERE id = ?5");
    s->bind(1, published.remote_id.empty() ? published.ref.id : published.remote_id);
    bind_text_or_null(*s, 2, published.ref.cid);
    bind_text_or_null(*s, 3, published.url.empty() ? published.ref.url : published.url);
    s->bind(4, static_cast<std::int64_t>(now));
    s->bind(5, static_cast<std::int64_t>(part_id));
    s->exec();
}

}  // namespace

void mark_sending(Store& store, std::int64_t part_id, Millis now) {
    commit_progress(store, nullptr, part_id, now);
}

void mark_published(Store& store, std::int64_t part_id, const publish::Published& published, Millis now) {
    const PublishedPart p{part_id, published};
    commit_progress(store, &p, std::nullopt, now);
}

void commit_progress(Store& store, const PublishedPart* published,
                     std::optional<std::int64_t> sending_part_id, Millis now) {
    guarded(store, [&] {
        WriteTransaction tx(store);
        if (published != nullptr) published_in(store, published->part_id, published->published, now);
        if (sending_part_id) sending_in(store, *sending_part_id, now);
        tx.commit();
        return 0;
    });
}

void commit_progress_batch(Store& store, const std::vector<ProgressStep>& steps, Millis now) {
    guarded(store, [&] {
        WriteTransaction tx(store);
        for (const auto& step : steps) {
            if (step.published) published_in(store, step.published->part_id, step.published->published, now);
            if (step.sending_part_id) {
                sending_in(store, *step.sending_part_id, now);
                if (step.parent && step.root) {
                    auto r = store.statement("UPDATE parts SET reply_parent_id = ?, reply_parent_cid = ?, "
                                        "reply_root_id = ?, reply_root_cid = ? WHERE id = ?");
                    r->bind(1, step.parent->id);
                    bind_text_or_null(*r, 2, step.parent->cid);
                    r->bind(3, step.root->id);
                    bind_text_or_null(*r, 4, step.root->cid);
                    r->bind(5, static_cast<std::int64_t>(*step.sending_part_id));
                    r->exec();
                }
            }
        }
        tx.commit();
        return 0;
    });
}

void mark_failed(Store& store, std::int64_t part_id, PartState state, const publish::Failure& failure,
                 std::optional<Millis> next_attempt, Millis now) {
    exec_part_update(store,
                     "UPDATE parts SET state = ?1, last_error_kind = ?2, last_error = ?3, "
                     "next_attempt_at = ?4, verify_on_retry = CASE WHEN ?5 THEN 1 WHEN ?8 THEN 0 "
                     "ELSE verify_on_retry END, updated_at = ?6 WHERE id = ?7",
                     [&](SQLite::Statement& s) {
                         s.bind(1, std::string(to_string(state)));
                         s.bind(2, failure.code.empty() ? std::string("failed") : failure.code);
                         s.bind(3, failure.message);
                         bind_opt(s, 4, next_attempt);
                         // check_after_failure(stored flag, failure), in SQL.
                         s.bind(5, failure.verify_on_retry ? 1 : 0);
                         s.bind(6, static_cast<std::int64_t>(now));
                         s.bind(7, static_cast<std::int64_t>(part_id));
                         s.bind(8, proves_not_applied(failure) ? 1 : 0);
                     });
}

void mark_uncertain(Store& store, std::int64_t part_id, Millis now) {
    exec_part_update(store, "UPDATE parts SET verify_on_retry = 1, updated_at = ? WHERE id = ?",
                     [&](SQLite::Statement& s) {
                         s.bind(1, static_cast<std::int64_t>(now));
                         s.bind(2, static_cast<std::int64_t>(part_id));
                     });
}

int mark_missed(Store& store, std::int64_t target_id, const std::string& message, Millis now) {
    return guarded(store, [&] {
        WriteTransaction tx(store);
        SQLite::Statement s(store.db(),
                            "UPDATE parts SET state = 'missed', last_error_kind = 'missed', "
                            "last_error = ?1, next_attempt_at = NULL, updated_at = ?2 "
                            "WHERE target_id = ?3 AND state = 'prepared'");
        s.bind(1, message);
        s.bind(2, static_cast<std::int64_t>(now));
        s.bind(3, static_cast<std::int64_t>(target_id));
        const int changed = s.exec();
        SQLite::Statement t(store.db(), "UPDATE targets SET state = 'missed', updated_at = ? WHERE id = ?");
        t.bind(1, static_cast<std::int64_t>(now));
        t.bind(2, static_cast<std::int64_t>(target_id));
        t.exec();
        tx.commit();
        return changed;
    });
}

void set_states(Store& store, std::int64_t target_id, const std::string& target_state,
                const std::string& post_id, const std::string& post_state, Millis now) {
    guarded(store, [&] {
        WriteTransaction tx(store);
        SQLite::Statement t(store.db(), "UPDATE targets SET state = ?, updated_at = ? WHERE id = ?");
        t.bind(1, target_state);
        t.bind(2, static_cast<std::int64_t>(now));
        t.bind(3, static_cast<std::int64_t>(target_id));
        t.exec();
        if (!post_state.empty()) {
            SQLite::Statement p(store.db(), "UPDATE posts SET state = ?, updated_at = ? WHERE id = ?");
            p.bind(1, post_state);
            p.bind(2, static_cast<std::int64_t>(now));
            p.bind(3, post_id);
            p.exec();
        }
        tx.commit();
        return 0;
    });
}

void set_post_states(Store& store, const std::vector<PostStates>& posts, Millis now) {
    if (posts.empty()) return;
    guarded(store, [&] {
        WriteTransaction tx(store);
        auto t = store.statement("UPDATE targets SET state = ?, updated_at = ? WHERE id = ?");
        auto p = store.statement("UPDATE posts SET state = ?, updated_at = ? WHERE id = ?");
        for (const auto& post : posts) {
            for (const auto& [target_id, state] : post.targets) {
                t->bind(1, state);
                t->bind(2, static_cast<std::int64_t>(now));
                t->bind(3, static_cast<std::int64_t>(target_id));
                t->exec();
                t->reset();
            }
            p->bind(1, post.state);
            p->bind(2, static_cast<std::int64_t>(now));
            p->bind(3, post.post_id);
            p->exec();
            p->reset();
        }
        tx.commit();
        return 0;
    });
}

std::vector<std::int64_t> interrupted_targets(Store& store) {
    return guarded(store, [&] {
        SQLite::Statement q(store.db(),
                            "SELECT DISTINCT target_id FROM parts WHERE state IN ('prepared', 'sending') "
                            "ORDER BY target_id");
        std::vector<std::int64_t> out;
        while (q.executeStep()) out.push_back(q.getColumn(0).getInt64());
        return out;
    });
}

std::vector<std::int64_t> targets_waiting_for(Store& store, std::string_view kind) {
    return guarded(store, [&] {
        SQLite::Statement q(store.db(), "SELECT DISTINCT target_id FROM parts WHERE state = 'needs_auth' "
                                        "AND last_error_kind = ? ORDER BY target_id");
        q.bind(1, std::string(kind));
        std::vector<std::int64_t> out;
        while (q.executeStep()) out.push_back(q.getColumn(0).getInt64());
        return out;
    });
}

PostRecord write_summary_states(Store& store, const std::string& post_id, Millis now) {
    PostRecord post = load_post(store, post_id);
    return guarded(store, [&] {
        auto& db = store.db();
        std::vector<std::string> states;
        bool any_published = false;
        for (auto& t : post.targets) {
            t.state = target_state(t, false);
            states.push_back(t.state);
            for (const auto& p : t.parts) any_published = any_published || p.state == PartState::published;
            SQLite::Statement u(db, "UPDATE targets SET state = ?, updated_at = ? WHERE id = ?");
            u.bind(1, t.state);
            u.bind(2, static_cast<std::int64_t>(now));
            u.bind(3, static_cast<std::int64_t>(t.id));
            u.exec();
        }
        post.state = post_state(states, any_published);
        SQLite::Statement p(db, "UPDATE posts SET state = ?, updated_at = ? WHERE id = ?");
        p.bind(1, post.state);
        p.bind(2, static_cast<std::int64_t>(now));
        p.bind(3, post.id);
        p.exec();
        return post;
    });
}

}  // namespace growth::pipeline
