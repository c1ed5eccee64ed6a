// The realtime timerfd hook: armed at an absolute wall-clock instant, quiet when disarmed.
#include <doctest/doctest.h>

#include <chrono>

#include "daemon/event_loop.hpp"
#include "daemon/wall_timer.hpp"

using growth::daemon::EventLoop;
using growth::daemon::WallTimer;
using namespace std::chrono_literals;

TEST_CASE("an instant in the past fires on the next loop round") {
    EventLoop loop;
    int due = 0;
    WallTimer timer(loop, {[&] { ++due; }, {}});
    timer.arm(std::chrono::system_clock::now() - 1h);
    CHECK(timer.armed().has_value());
    for (int i = 0; i < 20 && due == 0; ++i) loop.run_once(50);
    CHECK(due == 1);
    CHECK_FALSE(timer.armed().has_value());
}

TEST_CASE("an instant shortly ahead fires once it is reached, not before") {
    EventLoop loop;
    int due = 0;
    WallTimer timer(loop, {[&] { ++due; }, {}});
    const auto when = std::chrono::system_clock::now() + 30ms;
    timer.arm(when);
    while (due == 0 && std::chrono::system_clock::now() < when + 2s) loop.run_once(100);
    CHECK(due == 1);
    CHECK(std::chrono::system_clock::now() >= when);
}

TEST_CASE("a disarmed timer never fires") {
    EventLoop loop;
    int due = 0;
    WallTimer timer(loop, {[&] { ++due; }, {}});
    timer.arm(std::chrono::system_clock::now() - 1s);
    timer.disarm();
    for (int i = 0; i < 3; ++i) loop.run_once(20);
    CHECK(due == 0);
}

TEST_CASE("the loop runs deferred actions after the round and a removed fd's events are dropped") {
    EventLoop loop;
    std::vector<int> order;
    loop.defer([&] { order.push_back(1); });
    loop.defer([&] {
        order.push_back(2);
        loop.defer([&] { order.push_back(3); });
    });
    loop.run_once(0);
    CHECK(order == std::vector<int>{1, 2, 3});
}
