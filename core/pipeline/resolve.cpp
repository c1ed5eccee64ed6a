#include "core/pipeline/resolve.hpp"

#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/accounts/accounts.hpp"
#include "core/did_you_mean.hpp"
#include "core/error.hpp"
#include "core/pipeline/post_store.hpp"
#include "core/pipeline/progress.hpp"
#include "core/publish/remote_ref.hpp"
#include "core/store/sqlite_error.hpp"

namespace growth::pipeline {

namespace {

std::string setting(const accounts::Account& a, const char* key) {
    const auto it = a.settings.find(key);
    return it != a.settings.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The publisher's view of the account without its secrets: enough to build URLs.
publish::Account url_view(const accounts::Account& a) {
    publish::Account p;
    p.platform = a.platform;
    p.api_base = a.api_base;
    p.web_base = setting(a, "web_base");
    switch (a.platform) {
        case publish::Platform::x: p.username = setting(a, "username"); break;
        case publish::Platform::linkedin: p.user_id = setting(a, "author"); break;
        case publish::Platform::facebook: p.user_id = setting(a, "page_id"); break;
        case publish::Platform::instagram: p.user_id = setting(a, "ig_user_id"); break;
        case publish::Platform::threads: p.user_id = setting(a, "user_id"); break;
        case publish::Platform::mastodon: break;
        case publish::Platform::bluesky: p.username = setting(a, "handle"); break;
    }
    return p;
}

[[noreturn]] void bad(const std::string& message) { throw Error("bad_input", message); }

const TargetRecord& find_target(const PostRecord& post, const std::string& account) {
    std::vector<std::string> names;
    for (const auto& t : post.targets) {
        if (t.account == account) return t;
        names.push_back(t.account);
    }
    std::string message = fmt::format("post {} has no target on account '{}'", post.id, account);
    if (auto near = did_you_mean(account, names)) message += fmt::format("; did you mean '{}'?", *near);
    else message += fmt::format("; its accounts: {}", fmt::join(names, ", "));
    bad(message);
}

}  // namespace

PostRecord resolve_part(Store& store, const Resolution& r, Millis now) {
    const PostRecord before = load_post(store, r.post_id);
    const TargetRecord& target = find_target(before, r.account);
    const int count = static_cast<int>(target.parts.size());
    if (r.part < 1 || r.part > count) {
        bad(fmt::format("post {} has {} part{} on '{}': --part must be 1{}, not {}", before.id, count,
                        count == 1 ? "" : "s", target.account,
                        count == 1 ? std::string() : fmt::format(" to {}", count), r.part));
    }
    const PartRecord& part = target.parts[static_cast<std::size_t>(r.part - 1)];
    const std::string where = fmt::format("part {} of post {} on '{}'", part.index, before.id, target.account);
    if (part.state != PartState::unknown) {
        bad(fmt::format("{} is {}, not unknown: only a part whose outcome is unknown can be resolved",
                        where, to_string(part.state)));
    }
    for (std::size_t i = 0; i + 1 < static_cast<std::size_t>(r.part); ++i) {
        if (target.parts[i].state != PartState::published) {
            bad(fmt::format("{} cannot be resolved before part {} is published", where, target.parts[i].index));
        }
    }
    if (!target.account_id) bad(fmt::format("{}: account '{}' was removed", where, target.account));
    const publish::Account account = url_view(accounts::get(store, target.account));

    std::optional<publish::Published> published;
    bool check_first = false;
    std::string kind, message;
    if (r.published) {
        if (target.platform == publish::Platform::bluesky) {
            const std::string rkey = publish::bluesky_rkey_of(*r.published);
            if (rkey.empty()) {
                bad(fmt::format("--published '{}' is not a Bluesky post: give its "
                                "https://bsky.app/profile/WHO/post/RKEY URL or at:// URI",
                                *r.published));
            }
            if (rkey != part.record_key) {
                bad(fmt::format("--published '{}' names record key {}, but {} was sent with record "
                                "key {}: that post is not this part",
                                *r.published, rkey, where, part.record_key));
            }
            check_first = true;
            kind = "resolved_published";
            message = "resolved as published; the next growthctl retry reads the record (and its CID) back";
        } else {
            std::optional<publish::PartRef> root;
            if (part.index > 1) {
                const auto& first = target.parts[0];
                root = publish::PartRef{first.remote_id, first.remote_cid, first.remote_url};
            }
            std::string problem;
            published = publish::published_from_user(account, *r.published, part.index, root, problem);
            if (!published) {
                bad(fmt::format("--published '{}' does not name a {} {}: {}", *r.published,
                                publish::platform_name(target.platform),
                                part.index > 1 && target.platform != publish::Platform::x &&
                                        target.platform != publish::Platform::mastodon &&
                                        target.platform != publish::Platform::threads
                                    ? "comment"
                                    : "post",
                                problem));
            }
        }
    } else {
        check_first = target.platform == publish::Platform::bluesky;
        kind = "resolved_not_published";
        message = "resolved as not published; growthctl retry sends it again";
    }

    try {
        WriteTransaction tx(store);
        auto& db = store.db();
        if (published) {
            SQLite::Statement s(db,
                                "UPDATE parts SET state = 'published', remote_id = ?1, remote_cid = NULL, "
                                "remote_url = ?2, published_at = ?3, updated_at = ?3, last_error_kind = NULL, "
                                "last_error = NULL, next_attempt_at = NULL, verify_on_retry = 0 "
                                "WHERE id = ?4 AND state = 'unknown'");
            s.bind(1, published->remote_id);
            if (published->url.empty()) s.bind(2);
            else s.bind(2, published->url);
            s.bind(3, static_cast<std::int64_t>(now));
            s.bind(4, static_cast<std::int64_t>(part.id));
            if (s.exec() != 1) bad(fmt::format("{} changed while it was being resolved", where));
        } else {
            SQLite::Statement s(db,
                                "UPDATE parts SET state = 'retry_wait', next_attempt_at = NULL, "
                                "verify_on_retry = ?1, last_error_kind = ?2, last_error = ?3, updated_at = ?4 "
                                "WHERE id = ?5 AND state = 'unknown'");
            s.bind(1, check_first ? 1 : 0);
            s.bind(2, kind);
            s.bind(3, message);
            s.bind(4, static_cast<std::int64_t>(now));
            s.bind(5, static_cast<std::int64_t>(part.id));
            if (s.exec() != 1) bad(fmt::format("{} changed while it was being resolved", where));
        }
        PostRecord after = write_summary_states(store, r.post_id, now);
        tx.commit();
        return after;
    } catch (const SQLite::Exception& e) {
        throw store_error_from(e, store.db().getFilename());
    }
}

}  // namespace growth::pipeline
