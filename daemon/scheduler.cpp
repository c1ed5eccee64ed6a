#include "daemon/scheduler.hpp"

#include "core/error.hpp"
#include "core/pipeline/schedule.hpp"
#include "daemon/log.hpp"

namespace growth::daemon {

namespace {

/// Posts fired, and targets resumed, per loop round: a thousand due in the same second go out in
/// rounds, and clients are served between them.
constexpr int batch = 25;

/// How long a pass the store refused (busy, full disk) waits before it is tried again.
constexpr std::chrono::seconds store_retry{1};

publish::Instant system_now() {
    return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

}  // namespace

Scheduler::Scheduler(EventLoop& loop, Store& store, PublishService& publishing, Clock clock)
    : store_(store),
      publishing_(publishing),
      clock_(clock ? std::move(clock) : Clock(system_now)),
      timer_(loop, WallTimer::Handlers{[this] { run(); },
                                       [this] {
                                           log(LogLevel::info, "wall clock changed; rescheduling");
                                           run();
                                       }}) {}

bool Scheduler::fire_due(pipeline::Millis now) {
    const auto posts = pipeline::due_posts(store_, now, batch);
    const auto fired = pipeline::fire_posts(store_, posts, now, [this] { return static_cast<std::uint32_t>(random_()); });
    for (std::size_t i = 0; i < posts.size(); ++i) {
        const std::string& id = posts[i];
        switch (fired[i]) {
            case pipeline::Fired::started: {
                const pipeline::PostRecord post = pipeline::load_post(store_, id);
                log(LogLevel::info, "post {}: due, publishing to {} account(s)", id, post.targets.size());
                const std::string media_url = post.options.value("media_url", std::string());
                for (const auto& t : post.targets) publishing_.start_target(t, media_url);
                publishing_.announce(post);
                break;
            }
            case pipeline::Fired::missed: {
                const pipeline::PostRecord post = pipeline::load_post(store_, id);
                publishing_.announce(post);
                log(LogLevel::warning, "post {}: missed (due {} min ago, later than its catch-up window); "
                    "growthctl retry {} publishes it", id, (now - post.due_at.value_or(now)) / 60'000, id);
                break;
            }
            case pipeline::Fired::skipped: break;
        }
    }
    const auto targets = pipeline::retry_due_targets(store_, now, batch);
    const auto running = publishing_.busy_ids();
    int resumed = 0;
    for (const auto id : targets) {
        if (running.count(id) != 0) continue;
        publishing_.start_target(id);
        ++resumed;
    }
    // A full batch may hide more; a target that could not start (running, or waiting for its
    // account) is armed for again when it settles.
    return static_cast<int>(posts.size()) == batch || resumed == batch;
}

void Scheduler::stop() noexcept {
    stopped_ = true;
    try {
        timer_.disarm();
    } catch (const std::exception& e) {
        log(LogLevel::warning, "scheduler: cannot disarm the timer: {}", e.what());
    }
}

void Scheduler::run() noexcept {
    if (stopped_) return;
    try {
        const publish::Instant now = clock_();
        const pipeline::Millis t = now.time_since_epoch().count();
        if (fire_due(t)) {
            timer_.arm(std::chrono::system_clock::time_point(std::chrono::milliseconds(t)));
            return;
        }
        // Later than now only: a retry time that has come for a target still running waits for
        // it to settle (its settling runs this again).
        const auto next = pipeline::next_wakeup(store_, t);
        if (!next) {
            timer_.disarm();
            return;
        }
        timer_.arm(std::chrono::system_clock::time_point(std::chrono::milliseconds(*next)));
    } catch (const std::exception& e) {
        log(LogLevel::error, "scheduler: {}; trying again in {} s", e.what(), store_retry.count());
        try {
            timer_.arm(std::chrono::system_clock::now() + store_retry);
        } catch (const std::exception& again) {
            log(LogLevel::error, "scheduler: cannot arm the timer: {}", again.what());
        }
    }
}

}  // namespace growth::daemon
