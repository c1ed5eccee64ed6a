// The timer queue in growth.db (core/pipeline/schedule.hpp) with a fixed clock: what is due, a
// post firing once, recurring posts recording their next occurrence in the same transaction
// (in their zone, across DST), the catch-up window, cancel, reschedule and the list's pages.
#include <doctest/doctest.h>

#include <string>

#include "core/error.hpp"
#include "core/pipeline/post_store.hpp"
#include "core/pipeline/schedule.hpp"
#include "store_test_support.hpp"

using namespace growth;
using namespace growth::pipeline;
using growth::test::TempStore;

namespace {

constexpr Millis minute = 60'000;
constexpr Millis hour = 60 * minute;
// 2027-03-27 08:00:00 UTC (09:00 in Berlin, CET), the day before clocks go forward.
constexpr Millis mar27_0800z = 1806134400000;

accounts::Account account(Store& store, const std::string& name) { return test::insert_mastodon_account(store, name); }

std::string schedule(Store& store, const accounts::Account& a, Millis due, const std::string& every = "",
                     std::optional<int> count = std::nullopt, Millis catch_up = 15 * minute) {
    auto plan = plan_post("Good morning.", {a}, {});
    Schedule s;
    s.due_at = due;
    s.tz = "Europe/Berlin";
    s.catch_up_ms = catch_up;
    s.every = every;
    s.count = count;
    plan.schedule = s;
    return insert_post(store, plan, due - 10 * hour, test::next_bits);
}

std::string state_of(Store& store, const std::string& id) { return load_post(store, id).state; }

}  // namespace

TEST_CASE("schedule: a post waits in scheduled, is found by its due time and fires once") {
    TempStore t;
    const auto a = account(*t.store, "m");
    const std::string id = schedule(*t.store, a, mar27_0800z);
    CHECK(state_of(*t.store, id) == "scheduled");
    CHECK(load_post(*t.store, id).targets[0].parts[0].state == PartState::scheduled);
    CHECK(next_wakeup(*t.store, mar27_0800z - hour) == mar27_0800z);
    CHECK(due_posts(*t.store, mar27_0800z - 1, 10).empty());
    REQUIRE(due_posts(*t.store, mar27_0800z, 10) == std::vector<std::string>{id});
    CHECK(fire_post(*t.store, id, mar27_0800z + 500, test::next_bits) == Fired::started);
    CHECK(load_post(*t.store, id).targets[0].parts[0].state == PartState::prepared);
    CHECK(fire_post(*t.store, id, mar27_0800z + 600, test::next_bits) == Fired::skipped);
    CHECK(due_posts(*t.store, mar27_0800z + hour, 10).empty());
    CHECK_FALSE(next_wakeup(*t.store, mar27_0800z).has_value());
}

TEST_CASE("schedule: later than the catch-up window it is missed, not sent") {
    TempStore t;
    const auto a = account(*t.store, "m");
    const std::string id = schedule(*t.store, a, mar27_0800z, "", std::nullopt, 5 * minute);
    CHECK(fire_post(*t.store, id, mar27_0800z + 5 * minute, test::next_bits) == Fired::started);
    const std::string late = schedule(*t.store, a, mar27_0800z, "", std::nullopt, 5 * minute);
    CHECK(fire_post(*t.store, late, mar27_0800z + 5 * minute + 1, test::next_bits) == Fired::missed);
    const auto post = load_post(*t.store, late);
    CHECK(post.state == "missed");
    CHECK(post.targets[0].parts[0].last_error ==
          "not sent: growthd was not running within 5 minutes of the post's due time; growthctl retry " + late +
              " publishes it");
}

TEST_CASE("schedule: a recurring post records its next occurrence in its zone, across DST, as it fires") {
    TempStore t;
    const auto a = account(*t.store, "m");
    const std::string first = schedule(*t.store, a, mar27_0800z, "*-*-* 09:00:00", 3);
    REQUIRE(fire_post(*t.store, first, mar27_0800z, test::next_bits) == Fired::started);
    auto due = due_posts(*t.store, mar27_0800z + 48 * hour, 10);
    REQUIRE(due.size() == 1);
    const auto second = load_post(*t.store, due[0]);
    // 09:00 in Berlin on 2027-03-28 is 07:00 UTC (CEST): 23 hours later, not 24.
    CHECK(second.due_at == mar27_0800z + 23 * hour);
    CHECK(second.tz == "Europe/Berlin");
    CHECK(second.text == "Good morning.");
    CHECK(second.options["count"] == 2);
    CHECK(second.targets[0].parts[0].state == PartState::scheduled);
    CHECK(second.targets[0].parts[0].idempotency_key != load_post(*t.store, first).targets[0].parts[0].idempotency_key);
    REQUIRE(fire_post(*t.store, second.id, *second.due_at, test::next_bits) == Fired::started);
    due = due_posts(*t.store, mar27_0800z + 72 * hour, 10);
    REQUIRE(due.size() == 1);
    const auto third = load_post(*t.store, due[0]);
    CHECK(third.options["count"] == 1);
    REQUIRE(fire_post(*t.store, third.id, *third.due_at, test::next_bits) == Fired::started);
    // count 3: the series ends with the third.
    CHECK(due_posts(*t.store, mar27_0800z + 30 * 24 * hour, 10).empty());
}

TEST_CASE("schedule: after a long downtime a recurring post is missed once and its series goes on") {
    TempStore t;
    const auto a = account(*t.store, "m");
    const std::string first = schedule(*t.store, a, mar27_0800z, "hourly");
    // growthd comes back 10 hours late: one missed record, and the next occurrence still ahead
    // of the catch-up window's start, not nine more missed ones.
    const Millis back = mar27_0800z + 10 * hour + 5 * minute;
    REQUIRE(fire_post(*t.store, first, back, test::next_bits) == Fired::missed);
    const auto due = due_posts(*t.store, back + hour, 10);
    REQUIRE(due.size() == 1);
    CHECK(load_post(*t.store, due[0]).due_at == mar27_0800z + 10 * hour);
    CHECK(fire_post(*t.store, due[0], back, test::next_bits) == Fired::started);
}

TEST_CASE("schedule: cancel and reschedule") {
    TempStore t;
    const auto a = account(*t.store, "m");
    const std::string id = schedule(*t.store, a, mar27_0800z);
    Schedule later;
    later.due_at = mar27_0800z + hour;
    later.tz = "UTC";
    later.catch_up_ms = minute;
    reschedule_post(*t.store, id, later, mar27_0800z - hour);
    CHECK(load_post(*t.store, id).due_at == mar27_0800z + hour);
    CHECK(load_post(*t.store, id).tz == "UTC");
    const auto c = cancel_post(*t.store, id, {}, mar27_0800z);
    CHECK(c.parts == 1);
    CHECK(c.post_state == "canceled");
    CHECK(fire_post(*t.store, id, mar27_0800z + hour, test::next_bits) == Fired::skipped);
    try {
        cancel_post(*t.store, id, {}, mar27_0800z);
        FAIL("a second cancel must be refused");
    } catch (const Error& e) {
        CHECK(e.kind() == "not_cancelable");
        CHECK(std::string(e.what()) == "post " + id + " is canceled: nothing of it waits to go out");
    }
    try {
        reschedule_post(*t.store, id, later, mar27_0800z);
        FAIL("a cancelled post cannot be moved");
    } catch (const Error& e) {
        CHECK(e.kind() == "not_scheduled");
    }
}

TEST_CASE("schedule: the list is newest due first, filtered, and pages by cursor") {
    TempStore t;
    const auto a = account(*t.store, "m");
    std::vector<std::string> ids;
    for (int k = 0; k < 5; ++k) ids.push_back(schedule(*t.store, a, mar27_0800z + k * hour));
    cancel_post(*t.store, ids[1], {}, mar27_0800z);
    ListQuery q;
    q.limit = 2;
    std::vector<std::string> seen;
    for (int page = 0; page < 5; ++page) {
        const Json r = list_posts(*t.store, q);
        for (const auto& p : r["posts"]) seen.push_back(p["id"].get<std::string>());
        if (r["next_cursor"].is_null()) break;
        q.cursor = r["next_cursor"].get<std::string>();
    }
    CHECK(seen == std::vector<std::string>{ids[4], ids[3], ids[2], ids[1], ids[0]});
    ListQuery only;
    only.states = {"canceled"};
    const Json c = list_posts(*t.store, only);
    REQUIRE(c["posts"].size() == 1);
    CHECK(c["posts"][0]["id"] == ids[1]);
    CHECK(c["posts"][0]["tz"] == "Europe/Berlin");
    ListQuery window;
    window.from = mar27_0800z + hour;
    window.to = mar27_0800z + 2 * hour;
    CHECK(list_posts(*t.store, window)["posts"].size() == 2);
    ListQuery bad;
    bad.cursor = "garbage";
    CHECK_THROWS_WITH(list_posts(*t.store, bad), "cursor 'garbage' is not one post.list returned");
    bad.cursor.clear();
    bad.states = {"sheduled"};
    CHECK_THROWS_AS(list_posts(*t.store, bad), Error);
}
