// Failure SEQUENCES, per platform: the real publishers driven against growth.db the way growthd
// drives them (publisher.hpp's contract: keys at prepare, `sending` committed before the request,
// the outcome committed after), with a fake clock. Each row is a history of attempts (their HTTP
// outcomes, a kill while a request is on the wire, or a kill after the answer arrived but before
// its commit) and what the NEXT attempt does: checks first, re-sends, or becomes unknown without
// sending. The rule under test: once an attempt's outcome is uncertain, the part is checked before
// it is re-sent until an attempt has a known outcome (a later 429 or not_sent does not clear it).
#include <doctest/doctest.h>

#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/pipeline/post_store.hpp"
#include "core/pipeline/progress.hpp"
#include "core/publish/publisher.hpp"
#include "publish_test_util.hpp"

namespace fs = std::filesystem;
using namespace growth;
using namespace growth::pipeline;
namespace pt = growth::publish::test;

namespace {

/// What the next attempt does first.
enum class Next {
    check,    ///< a read (GET) before anything is created
    send,     ///< a create request (for Mastodon, with the part's Idempotency-Key)
    unknown,  ///< gives up as `unknown` without sending anything
};

const char* name_of(Next n) {
    switch (n) {
        case Next::check: return "check";
        case Next::send: return "send";
        case Next::unknown: return "unknown";
    }
    return "?";
}

/// One attempt: the outcomes its requests get, in order. When the publisher asks for more than
/// given, growthd was killed with that request on the wire. `kill_before_commit`: the publisher
/// returned its answer (Published) and growthd died before committing it.
struct Attempt {
    std::vector<http::Outcome> outcomes;
    bool kill_before_commit = false;
    bool without_token = false;  ///< the account's token cannot be read (fails before sending)
};

struct Row {
    const char* history;
    std::vector<Attempt> attempts;
    int minutes_later;  ///< between the last attempt and the next one
    bool resume;        ///< Part::resume of the next attempt
    Next next;
};

Attempt with(std::vector<http::Outcome> o) { return Attempt{std::move(o), false, false}; }
Attempt killed_on_the_wire() { return Attempt{{}, false, false}; }
Attempt killed_before_commit(std::vector<http::Outcome> o) { return Attempt{std::move(o), true, false}; }
Attempt no_token() { return Attempt{{}, false, true}; }

http::Outcome lost() { return pt::lost(); }
http::Outcome not_sent() { return pt::not_sent(); }
http::Outcome status(int code, std::string body = "{}", http::Headers h = {}) {
    return pt::response(code, std::move(body), std::move(h));
}

struct TempDir {
    fs::path dir;
    TempDir() {
        std::string tmpl = (fs::temp_directory_path() / "growth-seq-XXXXXX").string();
        REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
        dir = tmpl;
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
};

publish::Account account_for(publish::Platform p) {
    publish::Account a;
    a.platform = p;
    a.access_token = "secret-token";
    switch (p) {
        case publish::Platform::x: a.api_base = "http://127.0.0.1:9/x"; break;
        case publish::Platform::mastodon: a.api_base = "http://127.0.0.1:9/mastodon"; break;
        case publish::Platform::facebook:
            a.api_base = "http://127.0.0.1:9/graph";
            a.user_id = "1234567890";
            break;
        case publish::Platform::linkedin:
            a.api_base = "http://127.0.0.1:9/linkedin";
            a.user_id = "urn:li:person:abc";
            break;
        case publish::Platform::instagram:
            a.api_base = "http://127.0.0.1:9/graph";
            a.user_id = "17841400000000000";
            break;
        case publish::Platform::threads:
            a.api_base = "http://127.0.0.1:9/threads";
            a.user_id = "2600000001";
            break;
        case publish::Platform::bluesky:
            a.api_base = "http://127.0.0.1:9/bsky";
            a.access_token.clear();
            a.session = publish::BlueskySession{"access-jwt", "refresh-jwt", "did:plc:abc", "alice.test"};
            break;
    }
    return a;
}

/// One target of one post in a real growth.db, driven attempt by attempt like growthd does.
class Sim {
public:
    Sim(publish::Platform platform, int part_index) : platform_(platform), index_(part_index - 1) {
        store_ = std::make_unique<Store>(tmp_.dir / "growth.db");
        store_->db().exec("INSERT INTO accounts (name, platform, created_at, updated_at) VALUES ('a', '" +
                          std::string(publish::platform_name(platform)) + "', 0, 0)");
        accounts::Account a;
        a.id = store_->db().getLastInsertRowid();
        a.name = "a";
        a.platform = platform;
        a.settings = rpc::Json::object();
        PlanOptions options;
        if (platform == publish::Platform::instagram) options.media_url = "https://cdn.example/a.jpg";
        PostPlan plan = plan_post("First part of the thread.\n---\nSecond part of the thread.", {a}, options);
        std::uint32_t n = 0;
        const std::string id = insert_post(*store_, plan, clock_, [&n] { return ++n * 2654435761U; });
        target_id_ = load_post(*store_, id).targets[0].id;
        if (index_ > 0) {
            // Part 1 is out; the part under test replies to it.
            const auto first = load_target(*store_, target_id_).parts[0].id;
            const std::string remote = platform == publish::Platform::bluesky
                                           ? "at://did:plc:abc/app.bsky.feed.post/3aaaaaaaaaaaa"
                                           : platform == publish::Platform::linkedin ? "urn:li:share:1"
                                                                                     : "111_222";
            mark_published(*store_, first, publish::Published{remote, "https://example/1", {remote, "cid1", "https://example/1"}},
                           clock_);
        }
    }

    PartRecord part() { return load_target(*store_, target_id_).parts[static_cast<std::size_t>(index_)]; }

    void later(int minutes) { clock_ += static_cast<Millis>(minutes) * 60'000; }

    /// Runs one attempt as growthd's TargetRun does.
    void attempt(const Attempt& a) {
        later(1);
        const TargetRecord target = load_target(*store_, target_id_);
        const PartRecord p = target.parts[static_cast<std::size_t>(index_)];
        REQUIRE(p.state != PartState::published);
        if ((p.state == PartState::sending || p.state == PartState::unknown) && !p.verify_on_retry) {
            mark_uncertain(*store_, p.id, clock_);
        }
        publish::Account view = account_for(platform_);
        if (a.without_token) {
            view.access_token.clear();
            view.session = {};
        }
        auto machine = publish::make_part_publisher(view, part_to_send(load_target(*store_, target_id_),
                                                                      static_cast<std::size_t>(index_),
                                                                      "https://cdn.example/a.jpg"));
        publish::PartStep step = machine->start(now());
        bool marked = false;
        std::size_t fed = 0;
        while (auto* send = std::get_if<publish::Send>(&step)) {
            if (send->checkpoint.container_id) save_container(*store_, p.id, *send->checkpoint.container_id, clock_);
            if (!marked) {
                mark_sending(*store_, p.id, clock_);
                marked = true;
            }
            if (fed == a.outcomes.size()) return;  // killed with this request on the wire
            step = machine->feed(a.outcomes[fed++], now());
        }
        REQUIRE_MESSAGE(fed == a.outcomes.size(), "the attempt ended before every outcome was used");
        if (auto* published = std::get_if<publish::Published>(&step)) {
            if (a.kill_before_commit) return;
            mark_published(*store_, p.id, *published, clock_);
            return;
        }
        REQUIRE_FALSE(a.kill_before_commit);
        const auto& f = std::get<publish::Failure>(step);
        std::mt19937 random(1);
        const PartState state = state_after(f.cls);
        std::optional<Millis> next;
        if (state == PartState::retry_wait) next = next_attempt_at(f, part().attempts, clock_, random);
        mark_failed(*store_, p.id, state, f, next, clock_);
    }

    /// What the next attempt would do first (without committing anything).
    std::pair<bool, Next> next_attempt() {
        const publish::Part sent = part_to_send(load_target(*store_, target_id_), static_cast<std::size_t>(index_),
                                                "https://cdn.example/a.jpg");
        auto machine = publish::make_part_publisher(account_for(platform_), sent);
        const publish::PartStep step = machine->start(now());
        if (const auto* f = std::get_if<publish::Failure>(&step)) {
            CHECK_MESSAGE(f->cls == publish::FailureClass::ambiguous, f->code << ": " << f->message);
            return {sent.resume, Next::unknown};
        }
        const auto& send = std::get<publish::Send>(step);
        if (send.request.method == "GET") return {sent.resume, Next::check};
        if (platform_ == publish::Platform::mastodon) {
            const std::string key = part().idempotency_key;
            REQUIRE_FALSE(key.empty());
            CHECK(send.request.headers.get("Idempotency-Key") == std::optional<std::string_view>(key));
        }
        return {sent.resume, Next::send};
    }

    publish::Instant now() const { return publish::Instant(std::chrono::milliseconds(clock_)); }

private:
    TempDir tmp_;
    std::unique_ptr<Store> store_;
    publish::Platform platform_;
    int index_;
    std::int64_t target_id_ = 0;
    Millis clock_ = 1'767'268'800'000;  // 2026-01-01T12:00:00Z
};

void run_table(publish::Platform platform, int part_index, const std::vector<Row>& rows) {
    for (const Row& row : rows) {
        const std::string history = row.history;
        CAPTURE(history);
        Sim sim(platform, part_index);
        for (const Attempt& a : row.attempts) sim.attempt(a);
        sim.later(row.minutes_later);
        // Not a structured binding: clang 14 cannot capture one in CHECK_MESSAGE's lambda.
        const auto attempt = sim.next_attempt();
        const auto resume = attempt.first;
        const auto next = attempt.second;
        CHECK_MESSAGE(resume == row.resume, "resume");
        CHECK_MESSAGE(next == row.next, "next attempt: " << std::string(name_of(next)) << ", expected "
                                                  << std::string(name_of(row.next)));
    }
}

http::Outcome mastodon_ok() { return status(200, R"({"id":"109","url":"https://m.example/@a/109"})"); }
http::Outcome mastodon_429() { return status(429, R"({"error":"Too many requests"})"); }

}  // namespace

TEST_CASE("sequences, Mastodon: an uncertain attempt keeps the part checked until an answer is known") {
    // The Idempotency-Key is honoured for about an hour: a "check" is a re-send with the same key
    // inside it, and after it an uncertain part becomes unknown instead of being posted again.
    run_table(publish::Platform::mastodon, 1,
              {
                  {"lost -> 429 -> retry after the key expired", {with({lost()}), with({mastodon_429()})}, 61, true, Next::unknown},
                  {"lost -> not_sent -> retry after the key expired", {with({lost()}), with({not_sent()})}, 61, true, Next::unknown},
                  {"lost -> 5xx -> retry after the key expired", {with({lost()}), with({status(503, R"({"error":"busy"})")})}, 61, true, Next::unknown},
                  {"lost -> 429 -> not_sent -> 429 -> retry after the key expired",
                   {with({lost()}), with({mastodon_429()}), with({not_sent()}), with({mastodon_429()})}, 61, true, Next::unknown},
                  {"lost -> retry within the hour (same key)", {with({lost()})}, 5, true, Next::send},
                  {"lost -> 429 -> retry within the hour (same key)", {with({lost()}), with({mastodon_429()})}, 5, true, Next::send},
                  {"not_sent -> retry after an hour (nothing went out)", {with({not_sent()})}, 61, false, Next::send},
                  {"429 -> retry after an hour (nothing went out)", {with({mastodon_429()})}, 61, false, Next::send},
                  {"not_sent -> 429 -> retry after an hour", {with({not_sent()}), with({mastodon_429()})}, 61, false, Next::send},
                  {"kill on the wire -> restart after the key expired", {killed_on_the_wire()}, 61, true, Next::unknown},
                  {"kill between response and commit -> restart after the key expired", {killed_before_commit({mastodon_ok()})}, 61, true, Next::unknown},
                  {"kill between response and commit -> restart within the hour (same key)", {killed_before_commit({mastodon_ok()})}, 5, true, Next::send},
                  {"kill on the wire -> 429 -> retry after the key expired", {killed_on_the_wire(), with({mastodon_429()})}, 61, true, Next::unknown},
                  {"kill on the wire -> token unreadable (nothing sent) -> retry after the key expired",
                   {killed_on_the_wire(), no_token()}, 61, true, Next::unknown},
              });
}

TEST_CASE("sequences, Mastodon: a published attempt clears the check") {
    Sim sim(publish::Platform::mastodon, 2);
    sim.attempt(with({lost()}));
    sim.attempt(with({mastodon_429()}));
    CHECK(sim.part().verify_on_retry);
    sim.attempt(with({mastodon_ok()}));
    CHECK(sim.part().state == PartState::published);
    CHECK_FALSE(sim.part().verify_on_retry);
}

TEST_CASE("sequences, X: every uncertain history reads the timeline back before anything is re-sent") {
    const http::Outcome x_429 = status(429, R"({"title":"Too Many Requests","detail":"slow down"})");
    run_table(publish::Platform::x, 2,
              {
                  {"lost -> retry", {with({lost()})}, 5, true, Next::check},
                  {"5xx -> retry", {with({status(503, R"({"title":"Service Unavailable"})")})}, 5, true, Next::check},
                  {"lost -> retry (unknown) -> retry", {with({lost()}), with({})}, 5, true, Next::check},
                  {"kill on the wire -> restart", {killed_on_the_wire()}, 1, true, Next::check},
                  {"kill between response and commit -> restart",
                   {killed_before_commit({status(201, R"({"data":{"id":"1234","text":"t"}})")})}, 1, true, Next::check},
                  {"kill on the wire -> token unreadable -> retry", {killed_on_the_wire(), no_token()}, 1, true, Next::check},
                  {"429 -> retry (nothing went out)", {with({x_429})}, 20, false, Next::send},
                  {"not_sent -> retry", {with({not_sent()})}, 1, false, Next::send},
                  {"not_sent -> 429 -> retry", {with({not_sent()}), with({x_429})}, 20, false, Next::send},
              });
}

TEST_CASE("sequences, Facebook: an uncertain feed post or comment is read back before anything is re-sent") {
    const http::Outcome fb_429 = status(429, R"({"error":{"message":"limit","code":4}})");
    const std::vector<Row> rows = {
        {"lost -> retry", {with({lost()})}, 5, true, Next::check},
        {"kill on the wire -> restart", {killed_on_the_wire()}, 1, true, Next::check},
        {"kill between response and commit -> restart", {killed_before_commit({status(200, R"({"id":"999","post_id":"123_456"})")})}, 1, true, Next::check},
        {"kill on the wire -> token unreadable -> retry", {killed_on_the_wire(), no_token()}, 1, true, Next::check},
        {"rate limited -> retry", {with({fb_429})}, 20, false, Next::send},
        {"not_sent -> retry", {with({not_sent()})}, 1, false, Next::send},
    };
    SUBCASE("feed post") { run_table(publish::Platform::facebook, 1, rows); }
    SUBCASE("comment") { run_table(publish::Platform::facebook, 2, rows); }
}

TEST_CASE("sequences, LinkedIn: part 1 is read back before a re-send; comments end unknown") {
    const http::Outcome li_429 = status(429, R"({"message":"Too many requests","status":429})");
    http::Headers urn;
    urn.add("x-restli-id", "urn:li:share:7");
    run_table(publish::Platform::linkedin, 1,
              {
                  // Read back among the author's posts first; where the token cannot list them, the re-send's
                  // DUPLICATE_POST answer names the original post.
                  {"lost -> retry", {with({lost()})}, 5, true, Next::check},
                  {"lost -> retry: 429 -> retry", {with({lost()}), with({li_429})}, 5, true, Next::check},
                  {"lost -> retry: not_sent -> retry", {with({lost()}), with({not_sent()})}, 5, true, Next::check},
                  {"kill between response and commit -> restart", {killed_before_commit({status(201, "", urn)})}, 1, true, Next::check},
                  {"kill on the wire -> 429 -> retry", {killed_on_the_wire(), with({li_429})}, 5, true, Next::check},
                  {"429 -> retry", {with({li_429})}, 5, false, Next::send},
              });
    run_table(publish::Platform::linkedin, 2,
              {
                  {"comment lost -> retry", {with({lost()})}, 5, true, Next::unknown},
                  {"comment kill on the wire -> restart", {killed_on_the_wire()}, 1, true, Next::unknown},
                  {"comment kill between response and commit -> restart", {killed_before_commit({status(201, "", urn)})}, 1, true, Next::unknown},
                  {"comment 429 -> retry", {with({li_429})}, 5, false, Next::send},
              });
}

TEST_CASE("sequences, LinkedIn: a re-send after lost -> 429 still takes DUPLICATE_POST as published") {
    Sim sim(publish::Platform::linkedin, 1);
    sim.attempt(with({lost()}));
    sim.attempt(with({status(429, R"({"message":"Too many requests","status":429})")}));
    // The author listing needs r_member_social, which this token lacks: the re-send's answer tells.
    sim.attempt(with({status(403, R"({"message":"Not enough permissions to access: partnerApiPostsExternal.FINDER-author","status":403})"),
                      status(422, R"({"message":"BadRequestResponseException: Content is a duplicate of urn:li:share:7","errorDetails":{"inputErrors":[{"code":"DUPLICATE_POST"}]},"status":422})")}));
    CHECK(sim.part().state == PartState::published);
    CHECK(sim.part().remote_id == "urn:li:share:7");
}

TEST_CASE("sequences, Instagram: a committed container is checked; comments end unknown") {
    const http::Outcome container = status(200, R"({"id":"c1"})");
    const http::Outcome ig_429 = status(429, R"({"error":{"message":"limit","code":4}})");
    run_table(publish::Platform::instagram, 1,
              {
                  {"container lost -> retry (a container is invisible)", {with({lost()})}, 5, false, Next::send},
                  {"publish lost, status check lost -> retry", {with({container, lost(), lost()})}, 5, true, Next::check},
                  {"publish rate limited -> retry", {with({container, ig_429})}, 5, false, Next::check},
                  {"kill with the container request on the wire -> restart (nothing visible yet)", {killed_on_the_wire()}, 1, true, Next::send},
                  {"container committed, kill with publish on the wire -> restart", {with({container})}, 1, true, Next::check},
              });
    run_table(publish::Platform::instagram, 2,
              {
                  {"comment lost -> retry", {with({lost()})}, 5, true, Next::unknown},
                  {"comment kill on the wire -> restart", {killed_on_the_wire()}, 1, true, Next::unknown},
                  {"comment 429 -> retry", {with({ig_429})}, 5, false, Next::send},
              });
}

TEST_CASE("sequences, Threads: every part is a container, checked by its status") {
    const http::Outcome container = status(200, R"({"id":"c1"})");
    const http::Outcome th_429 = status(429, R"({"error":{"message":"limit","code":4}})");
    for (int index : {1, 2}) {
        CAPTURE(index);
        run_table(publish::Platform::threads, index,
                  {
                      {"container lost -> retry", {with({lost()})}, 5, false, Next::send},
                      {"publish lost, status check lost -> retry", {with({container, lost(), lost()})}, 5, true, Next::check},
                      {"publish lost, status lost -> 429 on the check -> retry",
                       {with({container, lost(), lost()}), with({th_429})}, 5, true, Next::check},
                      {"publish rate limited -> retry", {with({container, th_429})}, 5, false, Next::check},
                  });
    }
}

TEST_CASE("sequences, Bluesky: the record key is read back until an answer is known") {
    const http::Outcome bs_429 = status(429, R"({"error":"RateLimitExceeded","message":"slow down"})");
    const http::Outcome not_found = status(400, R"({"error":"RecordNotFound","message":"Could not locate record"})");
    const http::Outcome created = status(200, R"({"uri":"at://did:plc:abc/app.bsky.feed.post/3aaaaaaaaaaab","cid":"bafyc"})");
    run_table(publish::Platform::bluesky, 1,
              {
                  {"create lost, check lost -> retry", {with({lost(), lost()})}, 5, true, Next::check},
                  {"create lost, check 429 -> retry", {with({lost(), bs_429})}, 5, true, Next::check},
                  {"create lost, check lost -> check: not found, create 429 -> retry",
                   {with({lost(), lost()}), with({not_found, bs_429})}, 5, true, Next::check},
                  {"create lost, check lost -> check: not found, create not_sent -> retry",
                   {with({lost(), lost()}), with({not_found, not_sent()})}, 5, true, Next::check},
                  {"create lost, check lost -> check: not found, create 5xx, check: not found (known: not applied) -> retry",
                   {with({lost(), lost()}), with({not_found, status(502, "{}"), not_found})}, 5, false, Next::send},
                  {"kill on the wire -> restart", {killed_on_the_wire()}, 1, true, Next::check},
                  {"kill between response and commit -> restart", {killed_before_commit({created})}, 1, true, Next::check},
                  {"kill on the wire -> session unusable (nothing sent) -> retry", {killed_on_the_wire(), no_token()}, 1, true, Next::check},
                  {"429 on create -> retry", {with({bs_429})}, 5, false, Next::send},
              });
}
