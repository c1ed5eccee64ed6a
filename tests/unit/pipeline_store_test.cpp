// Posts, targets and parts in growth.db: everything prepared with its keys in one transaction,
// and each step of a part committed as the driving contract requires.
#include <doctest/doctest.h>

#include <stdlib.h>

#include <filesystem>
#include <string>

#include "core/error.hpp"
#include "core/pipeline/post_store.hpp"
#include "core/publish/bluesky_tid.hpp"
#include "store_test_support.hpp"

namespace fs = std::filesystem;
using namespace growth;
using namespace growth::pipeline;

namespace {

using growth::test::TempStore;

accounts::Account account(Store& store, const std::string& name, publish::Platform p) {
    store.db().exec("INSERT INTO accounts (name, platform, created_at, updated_at) VALUES ('" + name +
                    "', '" + std::string(publish::platform_name(p)) + "', 0, 0)");
    accounts::Account a;
    a.id = store.db().getLastInsertRowid();
    a.name = name;
    a.platform = p;
    a.settings = rpc::Json::object();
    return a;
}

std::uint32_t counter() {
    static std::uint32_t n = 0;
    return ++n * 2654435761U;
}

std::string two_parts() { return "First part of the thread.\n---\nSecond part of the thread."; }

}  // namespace

TEST_CASE("a new post is stored with every part prepared and its keys chosen") {
    TempStore t;
    auto plan = plan_post(two_parts(),
                          {account(*t.store, "m", publish::Platform::mastodon),
                           account(*t.store, "b", publish::Platform::bluesky),
                           account(*t.store, "x", publish::Platform::x)},
                          {});
    const std::string id = insert_post(*t.store, plan, 1'764'212'000'000, counter);
    const PostRecord post = load_post(*t.store, id);
    CHECK(post.id == id);
    CHECK(post.state == "prepared");
    REQUIRE(post.targets.size() == 3);
    for (const auto& target : post.targets) {
        REQUIRE(target.parts.size() == 2);
        for (const auto& p : target.parts) CHECK(p.state == PartState::prepared);
    }
    const auto& m = post.targets[0].parts;
    CHECK(m[0].idempotency_key.size() == 36);
    CHECK(m[0].idempotency_key != m[1].idempotency_key);
    const auto& b = post.targets[1].parts;
    CHECK(publish::bluesky::is_tid(b[0].record_key));
    CHECK(b[0].record_key < b[1].record_key);
    CHECK(post.targets[2].parts[0].idempotency_key.empty());
    CHECK(post.targets[2].parts[0].record_key.empty());
}

TEST_CASE("an unknown post id is post_not_found") {
    TempStore t;
    try {
        load_post(*t.store, "nope");
        FAIL("no error");
    } catch (const Error& e) {
        CHECK(e.kind() == "post_not_found");
        CHECK(std::string(e.what()) == "no post with id 'nope'");
    }
}

TEST_CASE("a part's remote id and the next part's sending (with its reply refs) commit together") {
    TempStore t;
    auto plan = plan_post(two_parts(), {account(*t.store, "b", publish::Platform::bluesky)}, {});
    const std::string id = insert_post(*t.store, plan, 1000, counter);
    TargetRecord target = load_post(*t.store, id).targets[0];
    commit_progress(*t.store, nullptr, target.parts[0].id, 2000);
    publish::Published published{"at://did/app.bsky.feed.post/a", "https://bsky.app/p/a",
                                 {"at://did/app.bsky.feed.post/a", "cid-a", "https://bsky.app/p/a"}};
    ProgressStep step;
    step.published = PublishedPart{target.parts[0].id, published};
    step.sending_part_id = target.parts[1].id;
    step.parent = published.ref;
    step.root = published.ref;
    commit_progress_batch(*t.store, {step}, 3000);
    target = load_target(*t.store, target.id);
    CHECK(target.parts[0].state == PartState::published);
    CHECK(target.parts[0].remote_cid == "cid-a");
    CHECK(target.parts[0].attempts == 1);
    CHECK(target.parts[1].state == PartState::sending);
    CHECK(target.parts[1].first_attempt_at == 3000);
    CHECK(t.store->db().execAndGet("SELECT reply_parent_cid FROM parts WHERE id = " +
                                   std::to_string(target.parts[1].id)).getString() == "cid-a");
}

TEST_CASE("a failed attempt records its state, message, retry instant and check flag") {
    TempStore t;
    auto plan = plan_post("One part.", {account(*t.store, "m", publish::Platform::mastodon)}, {});
    const std::string id = insert_post(*t.store, plan, 1000, counter);
    const auto part_id = load_post(*t.store, id).targets[0].parts[0].id;
    publish::Failure f;
    f.cls = publish::FailureClass::retry_safe;
    f.code = "connection_lost";
    f.message = "Mastodon: the connection was lost";
    f.verify_on_retry = true;
    mark_failed(*t.store, part_id, PartState::retry_wait, f, 9000, 2000);
    const PartRecord p = load_post(*t.store, id).targets[0].parts[0];
    CHECK(p.state == PartState::retry_wait);
    CHECK(p.last_error_kind == "connection_lost");
    CHECK(p.last_error == "Mastodon: the connection was lost");
    CHECK(p.next_attempt_at == 9000);
    CHECK(p.verify_on_retry);
}

TEST_CASE("interrupted targets are those with a part left prepared or sending") {
    TempStore t;
    auto plan = plan_post("One part.", {account(*t.store, "x", publish::Platform::x)}, {});
    const std::string id = insert_post(*t.store, plan, 1000, counter);
    const auto target = load_post(*t.store, id).targets[0];
    CHECK(interrupted_targets(*t.store) == std::vector<std::int64_t>{target.id});
    mark_published(*t.store, target.parts[0].id, publish::Published{"1", "u", {"1", "", "u"}}, 2000);
    CHECK(interrupted_targets(*t.store).empty());
}

TEST_CASE("planning refuses Instagram without an image and an account named twice") {
    TempStore t;
    const auto ig = account(*t.store, "ig", publish::Platform::instagram);
    CHECK_THROWS_WITH_AS(plan_post("hi", {ig}, {}),
                         "Instagram posts need an image: give --media-url URL (a public image URL) "
                         "for account 'ig'",
                         Error);
    const auto x = account(*t.store, "x", publish::Platform::x);
    CHECK_THROWS_WITH_AS(plan_post("hi", {x, x}, {}), "account 'x' is named twice by --to", Error);
}

TEST_CASE("the check flag is sticky: a later 429 or not_sent keeps it, a known outcome clears it") {
    TempStore t;
    auto plan = plan_post("One part.", {account(*t.store, "m", publish::Platform::mastodon)}, {});
    const std::string id = insert_post(*t.store, plan, 1000, counter);
    const auto part_id = load_post(*t.store, id).targets[0].parts[0].id;
    auto failure = [](publish::FailureClass cls, const char* code, bool verify) {
        publish::Failure f;
        f.cls = cls;
        f.code = code;
        f.message = code;
        f.verify_on_retry = verify;
        return f;
    };
    auto flag = [&] { return load_post(*t.store, id).targets[0].parts[0].verify_on_retry; };
    mark_sending(*t.store, part_id, 2000);
    mark_failed(*t.store, part_id, PartState::retry_wait,
                failure(publish::FailureClass::retry_safe, "connection_lost", true), 3000, 2000);
    CHECK(flag());
    mark_sending(*t.store, part_id, 4000);
    mark_failed(*t.store, part_id, PartState::retry_wait,
                failure(publish::FailureClass::rate_limited, "rate_limited", false), 5000, 4000);
    CHECK(flag());
    mark_sending(*t.store, part_id, 6000);
    mark_failed(*t.store, part_id, PartState::retry_wait,
                failure(publish::FailureClass::retry_safe, "not_sent", false), 7000, 6000);
    CHECK(flag());
    mark_failed(*t.store, part_id, PartState::failed,
                failure(publish::FailureClass::permanent, "validation", false), std::nullopt, 6000);
    CHECK(flag());
    // The platform's read-back found nothing: known, not applied.
    mark_failed(*t.store, part_id, PartState::retry_wait,
                failure(publish::FailureClass::retry_safe, "not_published", false), 8000, 7000);
    CHECK_FALSE(flag());
    mark_failed(*t.store, part_id, PartState::retry_wait,
                failure(publish::FailureClass::retry_safe, "connection_lost", true), 9000, 8000);
    mark_published(*t.store, part_id, publish::Published{"1", "u", {"1", "", "u"}}, 9000);
    CHECK_FALSE(flag());
}

TEST_CASE("a new attempt of a part left sending or unknown marks its earlier outcome uncertain") {
    TempStore t;
    auto plan = plan_post("One part.", {account(*t.store, "x", publish::Platform::x)}, {});
    const std::string id = insert_post(*t.store, plan, 1000, counter);
    const auto part_id = load_post(*t.store, id).targets[0].parts[0].id;
    auto part = [&] { return load_post(*t.store, id).targets[0].parts[0]; };
    mark_sending(*t.store, part_id, 2000);
    CHECK_FALSE(part().verify_on_retry);  // the first attempt: nothing uncertain before it
    mark_sending(*t.store, part_id, 3000);  // the earlier attempt was cut off
    CHECK(part().verify_on_retry);
    CHECK(part().attempts == 2);

    const std::string id2 = insert_post(*t.store, plan, 1000, counter);
    const auto part2 = load_post(*t.store, id2).targets[0].parts[0].id;
    mark_uncertain(*t.store, part2, 2000);
    CHECK(load_post(*t.store, id2).targets[0].parts[0].verify_on_retry);
}

TEST_CASE("mark_missed turns every prepared part of a target missed, with the reason") {
    TempStore t;
    auto plan = plan_post(two_parts(), {account(*t.store, "x", publish::Platform::x)}, {});
    const std::string id = insert_post(*t.store, plan, 1000, counter);
    auto target = load_post(*t.store, id).targets[0];
    mark_published(*t.store, target.parts[0].id, publish::Published{"1", "u", {"1", "", "u"}}, 2000);
    CHECK(mark_missed(*t.store, target.id, "not sent: too late", 3000) == 1);
    target = load_target(*t.store, target.id);
    CHECK(target.state == "missed");
    CHECK(target.parts[0].state == PartState::published);
    CHECK(target.parts[1].state == PartState::missed);
    CHECK(target.parts[1].last_error_kind == "missed");
    CHECK(target.parts[1].last_error == "not sent: too late");
    CHECK(interrupted_targets(*t.store).empty());
}

TEST_CASE("the summary states of posts settled together are written in one call") {
    TempStore t;
    const auto m = account(*t.store, "m", publish::Platform::mastodon);
    const auto x = account(*t.store, "x", publish::Platform::x);
    const std::string a = insert_post(*t.store, plan_post(two_parts(), {m, x}, {}), 1'764'212'000'000, counter);
    const std::string b = insert_post(*t.store, plan_post("Alone.", {x}, {}), 1'764'212'000'000, counter);
    const PostRecord pa = load_post(*t.store, a);
    const PostRecord pb = load_post(*t.store, b);
    set_post_states(*t.store,
                    {{a, {{pa.targets[0].id, "published"}, {pa.targets[1].id, "failed"}}, "partial"},
                     {b, {{pb.targets[0].id, "published"}}, "published"}},
                    1'764'212'100'000);
    const PostRecord ra = load_post(*t.store, a);
    const PostRecord rb = load_post(*t.store, b);
    CHECK(ra.state == "partial");
    CHECK(ra.targets[0].state == "published");
    CHECK(ra.targets[1].state == "failed");
    CHECK(rb.state == "published");
    CHECK(rb.targets[0].state == "published");
    // The cached statements are left reset: a second call works the same.
    set_post_states(*t.store, {{b, {{pb.targets[0].id, "failed"}}, "failed"}}, 1'764'212'200'000);
    CHECK(load_post(*t.store, b).state == "failed");
}

TEST_CASE("a cached statement in use is prepared afresh for a nested caller") {
    TempStore t;
    auto outer = t.store->statement("SELECT 1 UNION ALL SELECT 2");
    REQUIRE(outer->executeStep());
    {
        auto inner = t.store->statement("SELECT 1 UNION ALL SELECT 2");
        REQUIRE(inner->executeStep());
        CHECK(inner->getColumn(0).getInt() == 1);
    }
    // The outer iteration goes on where it was.
    REQUIRE(outer->executeStep());
    CHECK(outer->getColumn(0).getInt() == 2);
}
