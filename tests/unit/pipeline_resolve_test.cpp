// Resolving an unknown part (post.resolve) and per-account Bluesky record keys.
#include <doctest/doctest.h>

#include <stdlib.h>

#include <filesystem>
#include <string>

#include "core/error.hpp"
#include "core/pipeline/post_store.hpp"
#include "core/pipeline/progress.hpp"
#include "core/pipeline/resolve.hpp"
#include "core/publish/bluesky_tid.hpp"
#include "store_test_support.hpp"

namespace fs = std::filesystem;
using namespace growth;
using namespace growth::pipeline;

namespace {

using growth::test::TempStore;

accounts::Account account(Store& store, const std::string& name, publish::Platform p,
                          const std::string& settings = "{}") {
    store.db().exec("INSERT INTO accounts (name, platform, settings, created_at, updated_at) VALUES ('" +
                    name + "', '" + std::string(publish::platform_name(p)) + "', '" + settings + "', 0, 0)");
    accounts::Account a;
    a.id = store.db().getLastInsertRowid();
    a.name = name;
    a.platform = p;
    a.settings = rpc::Json::parse(settings);
    return a;
}

std::uint32_t counter() {
    static std::uint32_t n = 0;
    return ++n * 2654435761U;
}

constexpr const char* kThread = "First part.\n---\nSecond part.\n---\nThird part.";

publish::Failure lost_failure() {
    publish::Failure f;
    f.cls = publish::FailureClass::ambiguous;
    f.code = "unchecked";
    f.message = "X post got no response";
    return f;
}

// A three-part X thread whose part 1 is published and part 2 is unknown.
struct UnknownThread {
    TempStore t;
    std::string id;
    TargetRecord target;
    explicit UnknownThread(publish::Platform platform = publish::Platform::x,
                           const std::string& settings = R"({"username":"dev"})") {
        auto plan = plan_post(kThread, {account(*t.store, "main", platform, settings)}, {});
        id = insert_post(*t.store, plan, 1000, counter);
        target = load_post(*t.store, id).targets[0];
        publish::Published first;
        first.remote_id = platform == publish::Platform::facebook ? "123_456" : "1111";
        first.url = platform == publish::Platform::facebook
                        ? "https://www.facebook.com/123/posts/456"
                        : "https://x.com/dev/status/1111";
        first.ref = {first.remote_id, "", first.url};
        mark_published(*t.store, target.parts[0].id, first, 2000);
        mark_sending(*t.store, target.parts[1].id, 3000);
        mark_failed(*t.store, target.parts[1].id, PartState::unknown, lost_failure(), std::nullopt, 4000);
        set_states(*t.store, target.id, "unknown", id, "partial", 4000);
    }
    TargetRecord reload() { return load_post(*t.store, id).targets[0]; }
    void check_unchanged() {
        const TargetRecord now = reload();
        CHECK(now.parts[1].state == PartState::unknown);
        CHECK(now.parts[1].remote_id.empty());
        CHECK(now.parts[1].last_error_kind == "unchecked");
    }
};

std::string error_of(const std::function<void()>& f, std::string& kind) {
    try {
        f();
    } catch (const Error& e) {
        kind = e.kind();
        return e.what();
    }
    kind.clear();
    return "(no error)";
}

}  // namespace

TEST_CASE("resolve --published records the remote id from an X URL and the next part replies to it") {
    UnknownThread u;
    const PostRecord after = resolve_part(
        *u.t.store, {u.id, "main", 2, std::string("https://x.com/dev/status/2222?s=20")}, 5000);
    const auto& p = after.targets[0].parts[1];
    CHECK(p.state == PartState::published);
    CHECK(p.remote_id == "2222");
    CHECK(p.remote_url == "https://x.com/dev/status/2222");
    CHECK(p.last_error_kind.empty());
    CHECK(after.targets[0].state == "prepared");
    CHECK(after.state == "partial");
    // What retry sends next: part 3, replying to the resolved part 2.
    const TargetRecord target = u.reload();
    CHECK(first_unpublished(target) == 2u);
    const publish::Part next = part_to_send(target, 2, "");
    CHECK(next.parent->id == "2222");
    CHECK(next.root->id == "1111");
    CHECK_FALSE(next.resume);
    CHECK(u.t.store->db().execAndGet("SELECT state FROM targets WHERE id = " + std::to_string(target.id))
              .getString() == "prepared");
}

TEST_CASE("resolve --not-published puts the part back to be sent, without a check") {
    UnknownThread u;
    resolve_part(*u.t.store, {u.id, "main", 2, std::nullopt}, 5000);
    const TargetRecord target = u.reload();
    const auto& p = target.parts[1];
    CHECK(p.state == PartState::retry_wait);
    CHECK_FALSE(p.next_attempt_at.has_value());
    CHECK_FALSE(p.verify_on_retry);
    CHECK(p.last_error_kind == "resolved_not_published");
    CHECK(p.last_error == "resolved as not published; growthctl retry sends it again");
    CHECK(first_unpublished(target) == 1u);
    CHECK_FALSE(part_to_send(target, 1, "").resume);
}

TEST_CASE("resolve refuses a part that is not unknown and changes nothing") {
    UnknownThread u;
    std::string kind;
    CHECK(error_of([&] { resolve_part(*u.t.store, {u.id, "main", 1, std::string("3333")}, 5000); }, kind) ==
          "part 1 of post " + u.id +
              " on 'main' is published, not unknown: only a part whose outcome is unknown can be resolved");
    CHECK(kind == "bad_input");
    CHECK(error_of([&] { resolve_part(*u.t.store, {u.id, "main", 3, std::nullopt}, 5000); }, kind) ==
          "part 3 of post " + u.id +
              " on 'main' is prepared, not unknown: only a part whose outcome is unknown can be resolved");
    CHECK(u.reload().parts[0].remote_id == "1111");
    u.check_unchanged();
}

TEST_CASE("resolve names an unknown account, part or post") {
    UnknownThread u;
    std::string kind;
    CHECK(error_of([&] { resolve_part(*u.t.store, {u.id, "mian", 2, std::nullopt}, 5000); }, kind) ==
          "post " + u.id + " has no target on account 'mian'; did you mean 'main'?");
    CHECK(kind == "bad_input");
    CHECK(error_of([&] { resolve_part(*u.t.store, {u.id, "zzzzzzzz", 2, std::nullopt}, 5000); }, kind) ==
          "post " + u.id + " has no target on account 'zzzzzzzz'; its accounts: main");
    CHECK(error_of([&] { resolve_part(*u.t.store, {u.id, "main", 4, std::nullopt}, 5000); }, kind) ==
          "post " + u.id + " has 3 parts on 'main': --part must be 1 to 3, not 4");
    CHECK(kind == "bad_input");
    error_of([&] { resolve_part(*u.t.store, {"nope", "main", 2, std::nullopt}, 5000); }, kind);
    CHECK(kind == "post_not_found");
    u.check_unchanged();
}

TEST_CASE("resolve refuses a URL that is not a post of the platform and changes nothing") {
    UnknownThread u;
    std::string kind;
    CHECK(error_of([&] {
              resolve_part(*u.t.store, {u.id, "main", 2, std::string("https://example.com/2222")}, 5000);
          }, kind) == "--published 'https://example.com/2222' does not name a x post: an X post is "
                      "https://x.com/USER/status/ID or its numeric ID");
    CHECK(kind == "bad_input");
    u.check_unchanged();
}

TEST_CASE("resolve reads a Facebook comment URL relative to the thread's post") {
    UnknownThread u(publish::Platform::facebook, R"({"page_id":"123"})");
    const PostRecord after = resolve_part(
        *u.t.store, {u.id, "main", 2, std::string("https://www.facebook.com/123/posts/456?comment_id=789")},
        5000);
    CHECK(after.targets[0].parts[1].remote_id == "456_789");
    CHECK(after.targets[0].parts[1].remote_url == "https://www.facebook.com/123/posts/456?comment_id=789");
    std::string kind;
    UnknownThread v(publish::Platform::facebook, R"({"page_id":"123"})");
    CHECK(error_of([&] { resolve_part(*v.t.store, {v.id, "main", 2, std::string("999_789")}, 5000); }, kind) ==
          "--published '999_789' does not name a facebook comment: comment 999_789 is not on this "
          "thread's post 123_456");
}

TEST_CASE("resolve on Bluesky checks the record key and leaves the CID to the next retry") {
    TempStore t;
    auto plan = plan_post("One part.", {account(*t.store, "sky", publish::Platform::bluesky)}, {});
    const std::string id = insert_post(*t.store, plan, 1000, counter);
    const auto part = load_post(*t.store, id).targets[0].parts[0];
    mark_failed(*t.store, part.id, PartState::unknown, lost_failure(), std::nullopt, 2000);
    std::string kind;
    CHECK(error_of([&] {
              resolve_part(*t.store, {id, "sky", 1, std::string("https://bsky.app/profile/did:plc:a/post/3zzzzzzzzzzzz")},
                           3000);
          }, kind) == "--published 'https://bsky.app/profile/did:plc:a/post/3zzzzzzzzzzzz' names record key "
                      "3zzzzzzzzzzzz, but part 1 of post " + id + " on 'sky' was sent with record key " +
                          part.record_key + ": that post is not this part");
    resolve_part(*t.store, {id, "sky", 1, "at://did:plc:a/app.bsky.feed.post/" + part.record_key}, 3000);
    const auto after = load_post(*t.store, id).targets[0].parts[0];
    CHECK(after.state == PartState::retry_wait);
    CHECK(after.verify_on_retry);
    CHECK(after.last_error_kind == "resolved_published");
}

TEST_CASE("Bluesky record keys are unique per account, even for posts in the same millisecond") {
    // 12c: failed before this change: each post had its own clock, so two posts in one
    // millisecond with the same clock id got the same record key.
    TempStore t;
    const auto sky = account(*t.store, "sky", publish::Platform::bluesky);
    // insert_post draws the post id, then the clock id: every clock id is 7.
    std::uint32_t n = 0;
    auto same_clock_id = [&n] { return ++n % 2 == 1 ? n * 37U : 7U; };
    const std::string a = insert_post(*t.store, plan_post("One.", {sky}, {}), 5000, same_clock_id);
    const std::string b = insert_post(*t.store, plan_post("Two.", {sky}, {}), 5000, same_clock_id);
    // The wall clock went back a second: still after every key the account has.
    const std::string c = insert_post(*t.store, plan_post(kThread, {sky}, {}), 4000, same_clock_id);
    const auto ka = load_post(*t.store, a).targets[0].parts[0].record_key;
    const auto kb = load_post(*t.store, b).targets[0].parts[0].record_key;
    const auto pc = load_post(*t.store, c).targets[0].parts;
    CHECK(ka < kb);
    CHECK(kb < pc[0].record_key);
    CHECK(pc[0].record_key < pc[1].record_key);
    CHECK(pc[1].record_key < pc[2].record_key);
    CHECK(publish::bluesky::tid_micros(ka) == 5'000'000);
    CHECK(publish::bluesky::tid_micros(kb) == 5'000'001);
    // Another account has its own sequence.
    const auto other = account(*t.store, "sky2", publish::Platform::bluesky);
    const std::string d = insert_post(*t.store, plan_post("One.", {other}, {}), 5000, same_clock_id);
    CHECK(publish::bluesky::tid_micros(load_post(*t.store, d).targets[0].parts[0].record_key) == 5'000'000);
}
