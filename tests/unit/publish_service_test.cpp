// PublishService on a real event loop and growth.db, with a fake HTTP transport and real SQLite
// faults (tests/unit/store_faults.hpp): a commit that fails once, a write lock held by another
// connection (busy), a full disk; for the group commit, abort, drain and recover paths. What the
// platform confirmed is never dropped, nothing more of a target goes out while its progress cannot
// be recorded, and an interrupted post older than the catch-up window is `missed`, not sent.

#include <doctest/doctest.h>

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <deque>
#include <functional>
#include <string>

#include "core/accounts/manage.hpp"
#include "core/exit_code.hpp"
#include "core/pipeline/plan.hpp"
#include "core/pipeline/post_store.hpp"
#include "daemon/event_loop.hpp"
#include "daemon/publish_service.hpp"
#include "secrets_test_support.hpp"
#include "store_faults.hpp"
#include "held_transport.hpp"

using namespace growth;
using growth::rpc::Json;

namespace {

using growth::test::HeldTransport;

/// Captures what growthd logs (stderr) while alive.
class StderrCapture {
public:
    StderrCapture() {
        std::fflush(stderr);
        char path[] = "/tmp/growth-log-XXXXXX";
        fd_ = ::mkstemp(path);
        REQUIRE(fd_ >= 0);
        ::unlink(path);
        saved_ = ::dup(2);
        ::dup2(fd_, 2);
    }
    ~StderrCapture() { restore(); }
    std::string text() {
        restore();
        std::string out;
        char buf[4096];
        ::lseek(fd_, 0, SEEK_SET);
        for (ssize_t n; (n = ::read(fd_, buf, sizeof buf)) > 0;) out.append(buf, static_cast<std::size_t>(n));
        return out;
    }

private:
    void restore() {
        if (saved_ < 0) return;
        std::fflush(stderr);
        ::dup2(saved_, 2);
        ::close(saved_);
        saved_ = -1;
    }
    int fd_ = -1;
    int saved_ = -1;
};

constexpr pipeline::Millis start_ms = 1'767'268'800'000;  // 2026-01-01T12:00:00Z

struct Fixture {
    test::SecretsTempDir tmp;
    Store store{tmp.path / "growth.db"};
    test::MemorySecrets secrets;
    HeldTransport transport;
    daemon::EventLoop loop;
    pipeline::Millis clock = start_ms;
    daemon::PublishService service{loop, store, secrets, transport,
                                   [this] { return publish::Instant(std::chrono::milliseconds(clock)); }};

    accounts::Account add(const Json& params) {
        return accounts::add(store, secrets, accounts::parse_new_account(params), clock);
    }
    accounts::Account add_x() {
        return add({{"platform", "x"}, {"name", "x"}, {"token", "x-token"},
                    {"api_base", "http://127.0.0.1:9/x"}, {"username", "alice"}});
    }

    /// Records a post of `text` to `to` as post.publish does, `age_ms` before now.
    std::string record(const std::string& text, const accounts::Account& to, pipeline::Millis age_ms = 0) {
        const auto plan = pipeline::plan_post(text, {to}, {});
        std::uint32_t n = 7;
        return pipeline::insert_post(store, plan, clock - age_ms, [&n] { return n += 2654435761U; });
    }
    std::string publish(const std::string& text, const accounts::Account& to) {
        const std::string id = record(text, to);
        for (auto& t : pipeline::load_post(store, id).targets) service.start_target(std::move(t), "");
        return id;
    }

    bool pump_until(const std::function<bool()>& done, int ms = 3000) {
        const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
        while (!done()) {
            if (std::chrono::steady_clock::now() > end) return false;
            loop.run_once(5);
        }
        return true;
    }
    void pump_for(int ms) {
        pump_until([] { return false; }, ms);
    }

    pipeline::PartRecord part(const std::string& post_id, std::size_t i) {
        return pipeline::load_post(store, post_id).targets.at(0).parts.at(i);
    }
};

std::string tweet(const char* id) { return std::string(R"({"data":{"id":")") + id + R"(","text":"t"}})"; }

const char* two_parts = "First part of the thread.\n---\nSecond part of the thread.";

}  // namespace

TEST_CASE("publish service: single posts of one account go out side by side; a thread waits for them and runs alone") {
    Fixture f;
    f.service.set_parallel_per_account(2);
    const auto x = f.add_x();
    const std::string a = f.publish("Single post A.", x);
    const std::string b = f.publish("Single post B.", x);
    const std::string c = f.publish("Single post C.", x);
    const std::string thread = f.publish(two_parts, x);
    const std::string d = f.publish("Single post D.", x);
    REQUIRE(f.pump_until([&] { return f.transport.held.size() == 2; }));
    f.pump_for(20);
    CHECK(f.transport.held.size() == 2);  // at most two at once
    CHECK(f.service.running() == 2);
    CHECK(f.service.waiting() == 3);
    auto body = [&](std::size_t i) { return f.transport.held.at(i).request.body; };
    CHECK(body(0).find("post A") != std::string::npos);
    CHECK(body(1).find("post B") != std::string::npos);
    f.transport.answer(201, tweet("1001"));
    REQUIRE(f.pump_until([&] { return f.transport.held.size() == 2 && body(1).find("post C") != std::string::npos; }));
    f.transport.answer(201, tweet("1002"));
    f.transport.answer(201, tweet("1003"));
    // The thread starts once nothing else of the account runs, and D (behind it) waits for it.
    REQUIRE(f.pump_until([&] { return f.transport.held.size() == 1 && body(0).find("First part") != std::string::npos; }));
    f.pump_for(20);
    CHECK(f.transport.held.size() == 1);
    CHECK(f.service.waiting() == 1);
    f.transport.answer(201, tweet("1004"));
    REQUIRE(f.pump_until([&] { return f.transport.held.size() == 1 && body(0).find("Second part") != std::string::npos; }));
    CHECK(body(0).find(R"("in_reply_to_tweet_id":"1004")") != std::string::npos);
    CHECK(f.part(d, 0).state == PartState::prepared);
    f.transport.answer(201, tweet("1005"));
    REQUIRE(f.pump_until([&] { return f.transport.held.size() == 1 && body(0).find("post D") != std::string::npos; }));
    f.transport.answer(201, tweet("1006"));
    REQUIRE(f.pump_until([&] { return f.service.running() == 0; }));
    for (const auto& id : {a, b, c, thread, d}) CHECK(f.service.show(id)["state"] == "published");
    CHECK(f.transport.sent == 6);
}

TEST_CASE("publish service: posts running side by side reserve their parts of the budget") {
    Fixture f;
    pipeline::Budgets budgets;
    budgets[static_cast<std::size_t>(Platform::x)] = {{3, 10 * 60'000}};
    f.service.set_budgets(budgets);
    f.service.set_parallel_per_account(4);
    const auto x = f.add_x();
    std::vector<std::string> ids;
    for (int i = 0; i < 5; ++i) ids.push_back(f.publish("Budget post " + std::to_string(i) + ".", x));
    REQUIRE(f.pump_until([&] { return f.transport.held.size() == 3; }));
    f.pump_for(20);
    // Three fit the budget of 3 (none published yet: the ones in flight count); the fourth waits.
    CHECK(f.transport.held.size() == 3);
    f.transport.answer(201, tweet("1001"));
    f.transport.answer(201, tweet("1002"));
    f.transport.answer(201, tweet("1003"));
    REQUIRE(f.pump_until([&] { return f.service.running() == 0; }));
    CHECK(f.transport.sent == 3);
    int published = 0;
    int waiting = 0;
    for (const auto& id : ids) {
        const auto p = f.part(id, 0);
        if (p.state == PartState::published) ++published;
        if (p.state == PartState::retry_wait && p.last_error_kind == "budget") ++waiting;
    }
    CHECK(published == 3);
    CHECK(waiting == 2);
}

TEST_CASE("publish service: a group commit that fails once keeps the remote id; part 2 waits for the retry") {
    Fixture f;
    test::StoreFaults faults(f.store);
    const std::string id = f.publish(two_parts, f.add_x());
    REQUIRE(f.pump_until([&] { return f.transport.held.size() == 1; }));
    faults.fail_next(1);
    f.transport.answer(201, tweet("1001"));
    REQUIRE(f.pump_until([&] { return faults.failures_left() == 0; }));
    // The commit of part 1's id (with part 2's `sending`) failed: nothing more goes out.
    f.pump_for(20);
    CHECK(f.transport.held.empty());
    CHECK(f.part(id, 0).state == PartState::sending);
    CHECK(f.service.running() == 1);
    // The retry commits it, and only then part 2 goes out, replying to it.
    REQUIRE(f.pump_until([&] { return f.transport.held.size() == 1; }));
    CHECK(f.part(id, 0).state == PartState::published);
    CHECK(f.part(id, 0).remote_id == "1001");
    CHECK(f.part(id, 1).state == PartState::sending);
    CHECK(f.transport.held.front().request.body.find(R"("in_reply_to_tweet_id":"1001")") != std::string::npos);
    f.transport.answer(201, tweet("1002"));
    REQUIRE(f.pump_until([&] { return f.service.running() == 0; }));
    CHECK(f.part(id, 1).remote_id == "1002");
    CHECK(f.service.show(id)["state"] == "published");
    CHECK(f.transport.sent == 2);
}

TEST_CASE("publish service: while another connection holds the write lock (busy), the target waits") {
    Fixture f;
    test::StoreFaults faults(f.store);
    const std::string id = f.publish(two_parts, f.add_x());
    REQUIRE(f.pump_until([&] { return f.transport.held.size() == 1; }));
    faults.hold_write_lock();
    f.transport.answer(201, tweet("1001"));
    f.pump_for(300);
    CHECK(f.transport.held.empty());
    CHECK(f.part(id, 0).state == PartState::sending);
    faults.release_write_lock();
    REQUIRE(f.pump_until([&] { return f.transport.held.size() == 1; }));
    CHECK(f.part(id, 0).state == PartState::published);
    CHECK(f.part(id, 0).remote_id == "1001");
    f.transport.answer(201, tweet("1002"));
    REQUIRE(f.pump_until([&] { return f.service.running() == 0; }));
    CHECK(f.service.show(id)["state"] == "published");
}

TEST_CASE("publish service: a thread runs alone on its account; the next post waits and goes out in turn") {
    Fixture f;
    const auto x = f.add_x();
    const std::string first = f.publish(two_parts, x);
    const std::string second = f.publish("Another post, due at the same time.", x);
    REQUIRE(f.pump_until([&] { return f.transport.held.size() == 1; }));
    CHECK(f.service.running() == 1);
    CHECK(f.service.waiting() == 1);
    // Starting the waiting one again (the scheduler, post.retry) changes nothing.
    f.service.start_target(f.part(second, 0).target_id);
    CHECK(f.service.waiting() == 1);
    CHECK(f.service.busy_ids().size() == 2);
    // The whole thread goes out before the other post: never interleaved.
    f.transport.answer(201, tweet("1001"));
    REQUIRE(f.pump_until([&] { return f.transport.held.size() == 1; }));
    CHECK(f.transport.held.front().request.body.find(R"("in_reply_to_tweet_id":"1001")") != std::string::npos);
    CHECK(f.part(second, 0).state == PartState::prepared);
    f.transport.answer(201, tweet("1002"));
    REQUIRE(f.pump_until([&] { return f.transport.held.size() == 1; }));
    CHECK(f.service.show(first)["state"] == "published");
    CHECK(f.transport.held.front().request.body.find("Another post") != std::string::npos);
    CHECK(f.service.waiting() == 0);
    f.transport.answer(201, tweet("1003"));
    REQUIRE(f.pump_until([&] { return f.service.running() == 0; }));
    CHECK(f.service.show(second)["state"] == "published");
    CHECK(f.transport.sent == 3);
}

TEST_CASE("publish service: cancel stops a thread after the part on the wire; the rest is canceled") {
    Fixture f;
    const std::string id = f.publish("Part one.\n---\nPart two.\n---\nPart three.", f.add_x());
    REQUIRE(f.pump_until([&] { return f.transport.held.size() == 1; }));
    CHECK(f.service.stop_after_current(id) == 1);
    f.transport.answer(201, tweet("1001"));
    REQUIRE(f.pump_until([&] { return f.service.running() == 0; }));
    CHECK(f.transport.sent == 1);
    CHECK(f.part(id, 0).state == PartState::published);
    CHECK(f.part(id, 0).remote_id == "1001");
    CHECK(f.part(id, 1).state == PartState::canceled);
    CHECK(f.part(id, 2).state == PartState::canceled);
    CHECK(f.service.stop_after_current(id) == 0);
}

TEST_CASE("publish service: cancel during a short retry wait stops at once without sending again") {
    Fixture f;
    const std::string id = f.publish(two_parts, f.add_x());
    REQUIRE(f.pump_until([&] { return f.transport.held.size() == 1; }));
    f.transport.answer(429, R"({"title":"Too Many Requests","detail":"Too Many Requests","type":"about:blank","status":429})");
    REQUIRE(f.pump_until([&] { return f.part(id, 0).state == PartState::retry_wait; }));
    CHECK(f.service.running() == 1);  // waiting for its short retry
    CHECK(f.service.stop_after_current(id) == 1);
    REQUIRE(f.pump_until([&] { return f.service.running() == 0; }, 1000));
    CHECK(f.transport.sent == 1);
    CHECK(f.part(id, 0).state == PartState::canceled);
    CHECK(f.part(id, 1).state == PartState::canceled);
}

TEST_CASE("publish service: a rate limit that resets more than a day ahead fails the part instead of parking it") {
    Fixture f;
    const std::string id = f.publish("Only one part.", f.add_x());
    REQUIRE(f.pump_until([&] { return f.transport.held.size() == 1; }));
    http::HttpResponse r;
    r.status = 429;
    r.headers.add("Content-Type", "application/json");
    // A year ahead, as a broken or hostile server may say.
    r.headers.add("x-rate-limit-reset", std::to_string(start_ms / 1000 + 365 * 86'400));
    r.body = R"({"title":"Too Many Requests","detail":"Too Many Requests","type":"about:blank","status":429})";
    f.transport.answer(http::Outcome(r));
    REQUIRE(f.pump_until([&] { return f.service.running() == 0; }));
    const auto part = f.part(id, 0);
    CHECK(part.state == PartState::failed);
    CHECK_FALSE(part.next_attempt_at.has_value());
    CHECK(part.last_error.find("more than 25 hours ahead; growthctl retry " + id + " tries again") != std::string::npos);
}

TEST_CASE("publish service: a thread that does not fit the account's budget waits whole in retry_wait") {
    Fixture f;
    pipeline::Budgets budgets;
    budgets[static_cast<std::size_t>(Platform::x)] = {{3, 10 * 60'000}};
    f.service.set_budgets(budgets);
    const auto x = f.add_x();
    const std::string first = f.publish(two_parts, x);
    REQUIRE(f.pump_until([&] { return f.transport.held.size() == 1; }));
    f.transport.answer(201, tweet("1001"));
    REQUIRE(f.pump_until([&] { return f.transport.held.size() == 1; }));
    f.transport.answer(201, tweet("1002"));
    REQUIRE(f.pump_until([&] { return f.service.running() == 0; }));
    // Two of three used: a second two-part thread does not fit, and nothing of it is sent.
    f.clock += 60'000;
    const std::string second = f.publish(two_parts, x);
    REQUIRE(f.pump_until([&] { return f.service.running() == 0; }));
    CHECK(f.transport.sent == 2);
    const auto waiting = f.part(second, 0);
    CHECK(waiting.state == PartState::retry_wait);
    CHECK(waiting.last_error_kind == "budget");
    CHECK(waiting.attempts == 0);
    // Free once the first part leaves the 10-minute window.
    CHECK(waiting.next_attempt_at >= start_ms + 10 * 60'000);
    CHECK(waiting.last_error.find("3 per 10 minutes (2 used)") != std::string::npos);
    CHECK(f.part(second, 1).state == PartState::prepared);
    // Later, it fits and goes out whole.
    f.clock = *waiting.next_attempt_at;
    f.service.start_target(waiting.target_id);
    REQUIRE(f.pump_until([&] { return f.transport.held.size() == 1; }));
    f.transport.answer(201, tweet("1003"));
    REQUIRE(f.pump_until([&] { return f.transport.held.size() == 1; }));
    f.transport.answer(201, tweet("1004"));
    REQUIRE(f.pump_until([&] { return f.service.running() == 0; }));
    CHECK(f.service.show(second)["state"] == "published");
}

TEST_CASE("publish service: a full disk at the last part's commit is retried until there is room") {
    Fixture f;
    test::StoreFaults faults(f.store);
    const std::string id = f.publish("Only one part.", f.add_x());
    REQUIRE(f.pump_until([&] { return f.transport.held.size() == 1; }));
    faults.fill_disk();
    f.transport.answer(201, tweet("1001"));
    f.pump_for(200);
    CHECK(f.part(id, 0).state == PartState::sending);
    CHECK(f.service.running() == 1);
    faults.free_disk();
    REQUIRE(f.pump_until([&] { return f.service.running() == 0; }));
    CHECK(f.part(id, 0).state == PartState::published);
    CHECK(f.part(id, 0).remote_id == "1001");
    CHECK(f.part(id, 0).remote_url == "https://x.com/alice/status/1001");
    CHECK(f.service.show(id)["state"] == "published");
}

TEST_CASE("publish service: a failure right after a confirmed part first gets the confirmed id on disk") {
    // Part 1 is confirmed; part 2 fails before sending (its stored text is not UTF-8): the
    // failure path commits part 1's id first, through the same retries, then records part 2.
    Fixture f;
    test::StoreFaults faults(f.store);
    const std::string id = f.record(two_parts, f.add_x());
    f.store.db().exec("UPDATE parts SET text = CAST(x'ff' AS TEXT) WHERE idx = 2");
    for (auto& t : pipeline::load_post(f.store, id).targets) f.service.start_target(std::move(t), "");
    REQUIRE(f.pump_until([&] { return f.transport.held.size() == 1; }));
    faults.fill_disk();
    f.transport.answer(201, tweet("1001"));
    f.pump_for(150);
    CHECK(f.part(id, 0).state == PartState::sending);
    CHECK(f.service.running() == 1);
    faults.free_disk();
    REQUIRE(f.pump_until([&] { return f.service.running() == 0; }));
    CHECK(f.part(id, 0).state == PartState::published);
    CHECK(f.part(id, 0).remote_id == "1001");
    CHECK(f.part(id, 1).state == PartState::failed);
    CHECK(f.part(id, 1).last_error == "X: part text is not valid UTF-8");
    CHECK(f.transport.sent == 1);
}

TEST_CASE("publish service: drain retries a waiting commit once at once, without starting the next part") {
    Fixture f;
    test::StoreFaults faults(f.store);
    const std::string id = f.publish(two_parts, f.add_x());
    REQUIRE(f.pump_until([&] { return f.transport.held.size() == 1; }));
    faults.fail_next(1);
    f.transport.answer(201, tweet("1001"));
    REQUIRE(f.pump_until([&] { return faults.failures_left() == 0; }));
    bool idle = false;
    f.service.drain([&] { idle = true; });
    REQUIRE(f.pump_until([&] { return idle; }, 1000));
    CHECK(f.part(id, 0).state == PartState::published);
    CHECK(f.part(id, 0).remote_id == "1001");
    CHECK(f.part(id, 1).state == PartState::prepared);
    CHECK(f.transport.sent == 1);
}

TEST_CASE("publish service: drain when the commit still fails logs the unrecorded remote id loudly") {
    Fixture f;
    test::StoreFaults faults(f.store);
    const std::string id = f.publish(two_parts, f.add_x());
    REQUIRE(f.pump_until([&] { return f.transport.held.size() == 1; }));
    faults.fail_next(1000);
    StderrCapture log;
    f.transport.answer(201, tweet("1001"));
    REQUIRE(f.pump_until([&] { return faults.failures_left() < 1000; }));
    bool idle = false;
    f.service.drain([&] { idle = true; });
    REQUIRE(f.pump_until([&] { return idle; }, 1000));
    const std::string text = log.text();
    CHECK(faults.failures_left() == 998);  // the first try and the one at the stop
    CHECK(text.find("growthd: error: post " + id + " x: STOPPING WITHOUT RECORDING PROGRESS (") != std::string::npos);
    CHECK(text.find("injected fault): part 1 was published as 1001 (https://x.com/alice/status/1001)\n") !=
          std::string::npos);
    // Still `sending` on disk: the next start checks it (X: unknown, never re-sent blindly).
    CHECK(f.part(id, 0).state == PartState::sending);
    CHECK(f.transport.sent == 1);
}

TEST_CASE("publish service: recover marks an old prepared post missed and resumes a recent one") {
    Fixture f;
    const auto x = f.add_x();
    const std::string old_post = f.record(two_parts, x, 16 * 60 * 1000);
    const std::string recent = f.record("Recent post.", x, 14 * 60 * 1000);
    f.service.recover();
    REQUIRE(f.pump_until([&] { return f.transport.held.size() == 1 && f.service.running() == 1; }));
    // Only the recent post went out.
    CHECK(f.transport.held.front().request.body.find("Recent post.") != std::string::npos);
    const Json old_view = f.service.show(old_post);
    CHECK(old_view["state"] == "missed");
    CHECK(old_view["targets"][0]["state"] == "missed");
    for (const auto& p : old_view["targets"][0]["parts"]) {
        CHECK(p["state"] == "missed");
        CHECK(p["error"] == Json{{"kind", "missed"},
                                 {"message", "not sent: growthd was not running within 15 minutes of the post; "
                                             "growthctl retry " + old_post + " publishes it"}});
    }
    CHECK(exit_code_for_post(old_view) == ExitCode::partial);
    CHECK(pipeline::load_post(f.store, old_post).state == "missed");
    f.transport.answer(201, tweet("2001"));
    REQUIRE(f.pump_until([&] { return f.service.running() == 0; }));
    CHECK(f.transport.sent == 1);
    // A second start does not touch the missed post again; retry publishes it.
    f.service.recover();
    f.pump_for(20);
    CHECK(f.transport.sent == 1);
    f.service.start_target(pipeline::load_post(f.store, old_post).targets[0].id);
    REQUIRE(f.pump_until([&] { return f.transport.held.size() == 1; }));
    CHECK(f.transport.held.front().request.body.find("First part") != std::string::npos);
    f.transport.answer(201, tweet("3001"));
    REQUIRE(f.pump_until([&] { return f.transport.held.size() == 1; }));
    f.transport.answer(201, tweet("3002"));
    REQUIRE(f.pump_until([&] { return f.service.running() == 0; }));
    CHECK(f.service.show(old_post)["state"] == "published");
}

TEST_CASE("publish service: recover while the store is busy tries again until it can mark and resume") {
    Fixture f;
    test::StoreFaults faults(f.store);
    const auto x = f.add_x();
    const std::string old_post = f.record("Old post.", x, 20 * 60 * 1000);
    const std::string recent = f.record("Recent post.", x, 60 * 1000);
    faults.hold_write_lock();
    f.service.recover();
    f.pump_for(200);
    CHECK(f.transport.held.empty());  // the recent post's `sending` cannot be committed yet
    CHECK(f.part(old_post, 0).state == PartState::prepared);
    faults.release_write_lock();
    REQUIRE(f.pump_until([&] { return f.transport.held.size() == 1; }, 4000));
    CHECK(f.transport.held.front().request.body.find("Recent post.") != std::string::npos);
    REQUIRE(f.pump_until([&] { return f.part(old_post, 0).state == PartState::missed; }, 4000));
    CHECK(f.transport.sent == 1);
}

TEST_CASE("publish service: a short retry after lost -> 429 on Bluesky still reads the record back first") {
    // In-memory rule of the run (the store's is in pipeline_sequences_test): the uncertain create
    // keeps the part checked through a later rate limit.
    Fixture f;
    const auto b = f.add({{"platform", "bluesky"}, {"name", "b"}, {"handle", "alice.test"},
                          {"app_password", "app-pass-word"}, {"service", "http://127.0.0.1:9/bsky"}});
    const std::string id = f.publish("Only one part.", b);
    REQUIRE(f.pump_until([&] { return f.transport.held.size() == 1; }));
    CHECK(f.transport.held.front().request.url.find("createSession") != std::string::npos);
    f.transport.answer(200, R"({"accessJwt":"a1","refreshJwt":"r1","did":"did:plc:abc","handle":"alice.test"})");
    REQUIRE(f.pump_until([&] { return f.transport.held.size() == 1; }));
    CHECK(f.transport.held.front().request.url.find("createRecord") != std::string::npos);
    f.transport.answer(http::NoResponse{http::NoResponseKind::lost, "timeout"});
    REQUIRE(f.pump_until([&] { return f.transport.held.size() == 1; }));
    CHECK(f.transport.held.front().request.url.find("getRecord") != std::string::npos);
    f.transport.answer(http::NoResponse{http::NoResponseKind::lost, "timeout"});
    // Short retry (1-2 s): checks first, finds nothing, creates; the create is rate limited.
    REQUIRE(f.pump_until([&] { return f.transport.held.size() == 1; }, 4000));
    CHECK(f.transport.held.front().request.url.find("getRecord") != std::string::npos);
    f.transport.answer(400, R"({"error":"RecordNotFound","message":"Could not locate record"})");
    REQUIRE(f.pump_until([&] { return f.transport.held.size() == 1; }));
    CHECK(f.transport.held.front().request.url.find("createRecord") != std::string::npos);
    f.transport.answer(429, R"({"error":"RateLimitExceeded","message":"slow down"})");
    CHECK(f.part(id, 0).verify_on_retry);
    // The next short retry (2-4 s) reads back again before creating anything.
    REQUIRE(f.pump_until([&] { return f.transport.held.size() == 1; }, 6000));
    CHECK(f.transport.held.front().request.url.find("getRecord") != std::string::npos);
    f.transport.answer(200, R"({"uri":"at://did:plc:abc/app.bsky.feed.post/3aaaaaaaaaaab","cid":"bafyc","value":{"$type":"app.bsky.feed.post","text":"Only one part.","createdAt":"2026-01-01T12:00:00.000Z"}})");
    REQUIRE(f.pump_until([&] { return f.service.running() == 0; }));
    CHECK(f.part(id, 0).state == PartState::published);
}
