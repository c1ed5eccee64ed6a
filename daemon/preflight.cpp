#include "daemon/preflight.hpp"

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/pipeline/post_json.hpp"
#include "core/rpc/deferred.hpp"
#include "core/rpc/dispatcher.hpp"
#include "daemon/log.hpp"

namespace growth::daemon {

namespace {

/// How long a pass the store refused waits before it is tried again.
constexpr std::chrono::minutes store_retry{1};

publish::Instant system_now() {
    return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

pipeline::Millis millis_of(publish::Instant t) { return t.time_since_epoch().count(); }

/// Receives the one response of an in-process deferred call.
class Sink final : public rpc::LateReplySink {
public:
    explicit Sink(std::function<void(const rpc::Json&)> done) : done_(std::move(done)) {}
    void owed() noexcept override {}
    void settle(std::optional<rpc::Json> response) override {
        if (response && done_) std::exchange(done_, nullptr)(*response);
    }

private:
    std::function<void(const rpc::Json&)> done_;
};

/// Kinds that only a person can fix, and that a check ahead of time should warn about.
bool person_must_act(const std::string& kind) { return kind == "needs_auth" || kind == "vault_locked"; }

}  // namespace

Preflight::Preflight(EventLoop& loop, Store& store, const rpc::MethodTable& methods, secrets::Vault& vault,
                     Emit emit, Clock clock)
    : loop_(loop),
      store_(store),
      methods_(methods),
      vault_(vault),
      emit_(std::move(emit)),
      clock_(clock ? std::move(clock) : Clock(system_now)),
      timer_(loop, WallTimer::Handlers{[this] { run(); }, [this] { run(); }}),
      plan_(millis_of(clock_())) {}

pipeline::Millis Preflight::now() const { return millis_of(clock_()); }

void Preflight::run() noexcept {
    if (stopped_) return;
    try {
        const pipeline::Millis t = now();
        // Both windows' lookups first, so a store error leaves the cursors where they were.
        std::map<std::string, pipeline::DueAccount> due;
        pipeline::PreflightPlan next = plan_;
        for (const auto& [after, until] : next.advance(t)) {
            if (until <= after) continue;
            for (auto& a : pipeline::accounts_due(store_, after, until)) due.emplace(a.account, std::move(a));
        }
        plan_ = next;
        for (const auto& [name, a] : due) check(a);
        const auto at = plan_.next_pass([this](pipeline::Millis after) { return pipeline::next_scheduled_due(store_, after); });
        if (!at) return timer_.disarm();
        timer_.arm(std::chrono::system_clock::time_point(std::chrono::milliseconds(std::max(*at, t))));
    } catch (const std::exception& e) {
        log(LogLevel::error, "preflight: {}; trying again in {} min", e.what(), store_retry.count());
        try {
            timer_.arm(std::chrono::system_clock::now() + store_retry);
        } catch (const std::exception& again) {
            log(LogLevel::error, "preflight: cannot arm the timer: {}", again.what());
        }
    }
}

void Preflight::scheduled(const std::string& post_id) noexcept {
    if (stopped_) return;
    try {
        const std::optional<pipeline::Millis> due = pipeline::scheduled_due(store_, post_id);
        if (!due) return;
        const bool covered = plan_.covered(*due, now());
        if (covered) {
            for (const auto& a : pipeline::accounts_due(store_, *due - 1, *due)) {
                if (a.post_id == post_id) check(a);
            }
        }
        // A pass is needed sooner only when the post enters its next window before the armed
        // instant: the 1 h window once the 24 h one has covered it, else the 24 h window.
        const auto armed = timer_.armed();
        const pipeline::Millis window = pipeline::preflight_windows[covered ? 1 : 0];
        const auto enters = std::chrono::system_clock::time_point(std::chrono::milliseconds(*due - window));
        if (armed && *armed <= enters) return;
    } catch (const std::exception& e) {
        log(LogLevel::error, "preflight: cannot check the accounts of post {}: {}", post_id, e.what());
    }
    run();
}

void Preflight::stop() noexcept {
    stopped_ = true;
    try {
        timer_.disarm();
    } catch (const std::exception&) {
    }
}

void Preflight::check(const pipeline::DueAccount& due) {
    if (!checking_.insert(due.account).second) return;  // one check per account at a time
    const rpc::MethodTable::Entry* test = methods_.find("account.test");
    if (test == nullptr || !test->deferred) {
        checking_.erase(due.account);
        return;
    }
    log(LogLevel::debug, "preflight: checking account {} (post {} due {})", due.account, due.post_id,
        pipeline::iso_millis(due.due));
    auto sink = std::make_shared<Sink>([this, due](const rpc::Json& response) {
        // Answered from the loop; `this` outlives the transfers (the daemon drops them first).
        checked(due, response);
    });
    const rpc::Json id = "preflight";
    rpc::Responder reply(id, true, sink);
    try {
        test->deferred(rpc::Json{{"name", due.account}}, rpc::CallContext{}, reply);
    } catch (...) {
        reply.error(std::current_exception());
    }
}

void Preflight::checked(const pipeline::DueAccount& due, const rpc::Json& response) {
    checking_.erase(due.account);
    if (!response.contains("error")) {
        if (problems_.erase(due.account) != 0) log(LogLevel::info, "preflight: account {} authenticates again", due.account);
        return;
    }
    const rpc::Json& error = response["error"];
    const std::string kind = error.value("data", rpc::Json::object()).value("kind", std::string("internal_error"));
    const std::string message = error.value("message", std::string());
    if (!person_must_act(kind)) {
        // The platform did not answer usefully (rate limit, outage): the post's own run retries.
        log(LogLevel::warning, "preflight: account {} could not be checked: {}", due.account, message);
        return;
    }
    const auto known = problems_.find(due.account);
    const bool fresh = known == problems_.end() || known->second.kind != kind;
    problems_[due.account] = Problem{kind, message, due.post_id, due.due, now()};
    log(LogLevel::warning, "preflight: post {} is due {}, but account {} cannot authenticate: {}", due.post_id,
        pipeline::iso_millis(due.due), due.account, message);
    if (fresh && emit_) {
        emit_({{"type", "post"}, {"post", due.post_id}, {"state", "needs_auth"}, {"due", pipeline::iso_millis(due.due)},
               {"account", due.account}, {"kind", kind}, {"message", message}, {"preflight", true}});
    }
}

rpc::Json Preflight::problems() {
    rpc::Json out = rpc::Json::array();
    for (auto it = problems_.begin(); it != problems_.end();) {
        const Problem& p = it->second;
        bool gone = false;
        try {
            const auto updated = pipeline::account_updated_at(store_, it->first);
            // A new secret (login, update), a removed account or an open vault ends the problem.
            gone = !updated || *updated >= p.since || (p.kind == "vault_locked" && !vault_.locked());
        } catch (const Error&) {
        }
        if (gone) {
            it = problems_.erase(it);
            continue;
        }
        out.push_back({{"account", it->first}, {"kind", p.kind}, {"message", p.message}, {"post", p.post},
                       {"due", pipeline::iso_millis(p.due)}, {"since", pipeline::iso_millis(p.since)}});
        ++it;
    }
    return out;
}

}  // namespace growth::daemon
