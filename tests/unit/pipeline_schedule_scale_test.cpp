// The scheduler's pass (next_wakeup, due_posts, fire_post) and the posting-budget check
// (published_since) cost the same whatever the number of posts queued behind the due one: their
// statements find rows by index, never by scanning every scheduled row or every target of the account. Cost is counted in SQLite virtual-machine instructions (a progress handler), so
// the test is exact and not timed. A statement that searches by the state index (millions of
// 'scheduled' rows) instead of the post's or target's own key fails it.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <cstdint>
#include <string>

#include "core/pipeline/budget.hpp"
#include "core/pipeline/post_store.hpp"
#include "core/pipeline/schedule.hpp"
#include "store_test_support.hpp"

using namespace growth;
using namespace growth::pipeline;
using growth::test::TempStore;

namespace {

constexpr Millis due = 1806134400000;  // 2027-03-27 08:00:00 UTC
constexpr Millis day = 86'400'000;

int on_progress(void* counter) {
    ++*static_cast<std::int64_t*>(counter);
    return 0;
}

/// VM instructions of one scheduler pass that fires one due post while `queued` other posts
/// (a two-part thread each, to one Mastodon account) wait far in the future.
std::int64_t pass_cost(int queued) {
    TempStore t;
    t.db().exec("INSERT INTO accounts (name, platform, created_at, updated_at) VALUES ('m', 'mastodon', 0, 0)");
    accounts::Account a;
    a.id = t.db().getLastInsertRowid();
    a.name = "m";
    a.platform = publish::Platform::mastodon;
    a.settings = Json::object();
    auto plan = plan_post("First part.\n---\nSecond part.", {a}, {});
    Schedule s;
    s.tz = "UTC";
    s.catch_up_ms = 15 * 60'000;
    {
        WriteTransaction tx(*t.store);
        for (int k = 0; k < queued; ++k) {
            s.due_at = due + day + k * 1000;
            plan.schedule = s;
            insert_post_rows(*t.store, plan, due - day + k, test::next_bits);
        }
        tx.commit();
    }
    s.due_at = due;
    plan.schedule = s;
    const std::string id = insert_post(*t.store, plan, due - 2 * day, test::next_bits);

    std::int64_t steps = 0;
    sqlite3_progress_handler(t.db().getHandle(), 1, on_progress, &steps);
    REQUIRE(next_wakeup(*t.store, due - 1000) == due);
    REQUIRE(due_posts(*t.store, due, 100) == std::vector<std::string>{id});
    REQUIRE(fire_post(*t.store, id, due + 1, test::next_bits) == Fired::started);
    REQUIRE(next_wakeup(*t.store, due + 1) == due + day);
    CHECK(published_since(*t.store, a.id, due - day).empty());
    sqlite3_progress_handler(t.db().getHandle(), 0, nullptr, nullptr);
    CHECK(load_post(*t.store, id).targets[0].parts[1].state == PartState::prepared);
    return steps;
}

}  // namespace

TEST_CASE("schedule scale: firing a due post costs the same with 10 or 3000 posts queued behind it") {
    const std::int64_t few = pass_cost(10);
    const std::int64_t many = pass_cost(3000);
    INFO("VM instructions with 10 queued: " << few << ", with 3000 queued: " << many);
    // Index seeks cost the same instruction count at any depth; a scan of the queue costs
    // several instructions per queued row (tens of thousands here).
    CHECK(many < few + few / 2);
}
