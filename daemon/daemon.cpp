#include "daemon/daemon.hpp"

#include <fmt/format.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>

#include "core/error.hpp"
#include "core/paths.hpp"
#include "core/rpc/error_codes.hpp"
#include "core/rpc/protocol.hpp"
#include "daemon/log.hpp"
#include "daemon/resolve_methods.hpp"
#include "daemon/schedule_methods.hpp"
#include "daemon/post_wait.hpp"
#include "daemon/vault_methods.hpp"
#include "daemon/systemd.hpp"
#include "growth/version.hpp"

namespace growth::daemon {

namespace {

/// Creates the data directory 0700 (it will hold secrets) when missing; an existing one is used
/// as it is.
void ensure_data_dir(const std::filesystem::path& dir) {
    std::error_code ec;
    if (std::filesystem::is_directory(dir, ec)) return;
    std::filesystem::create_directories(dir, ec);
    if (ec) {
        throw Error("data_dir_error",
                    fmt::format("cannot create data directory {}: {}", dir.string(), ec.message()));
    }
    ::chmod(dir.c_str(), 0700);
}

std::string iso_utc(std::chrono::system_clock::time_point t) {
    const std::time_t seconds = std::chrono::system_clock::to_time_t(t);
    std::tm tm{};
    ::gmtime_r(&seconds, &tm);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buffer;
}

text::PostBounds post_bounds(const Config& config) {
    return text::PostBounds{config.max_post_bytes, config.max_parts};
}

// --key-file, else the systemd credential vault.key (LoadCredential[Encrypted]=), else the
// default $XDG_CONFIG_HOME/growth/vault.key.
std::filesystem::path vault_key_file(const std::filesystem::path& option) {
    if (!option.empty()) return option;
    if (const char* dir = std::getenv("CREDENTIALS_DIRECTORY"); dir != nullptr && *dir != '\0') {
        std::filesystem::path credential = std::filesystem::path(dir) / "vault.key";
        std::error_code ec;
        if (std::filesystem::exists(credential, ec)) return credential;
    }
    return paths::config_file().parent_path() / "vault.key";
}

}  // namespace

Daemon::Daemon(DaemonOptions options)
    : options_(std::move(options)),
      dispatcher_(methods_, [this](const rpc::MethodSpec& spec) {
          if (stopping_ && spec.mutates) {
              throw Error(std::string(rpc::kind::shutting_down), "growthd is shutting down");
          }
      }) {
    config_path_ = options_.config_file.empty() ? paths::config_file() : options_.config_file;
    data_dir_ = options_.data_dir.empty() ? paths::data_dir() : options_.data_dir;
    config_ = load_config(config_path_);
    Log::set_threshold(config_.log_level);
    ensure_data_dir(data_dir_);
    lock_ = std::make_unique<DataLock>(data_dir_);
    store_ = std::make_unique<Store>(data_dir_ / "growth.db");

    const std::filesystem::path key_file = vault_key_file(options_.key_file);
    secrets_ = open_secret_store(data_dir_, key_file);
    if (secrets_->locked()) log(LogLevel::warning, "the vault is sealed with a passphrase and locked: growthctl unlock opens it; posts that come due wait");
    HttpOptions http;
    http.total_timeout = options_.http_timeout;
    http.connect_timeout = std::min(options_.http_timeout, std::chrono::milliseconds(10'000));
    http.user_agent = std::string("growth/") + growth::version;
    http.max_response_bytes = static_cast<std::size_t>(config_.max_response_bytes);
    http.max_json_depth = config_.max_json_depth;
    dispatcher_.set_max_json_depth(config_.max_json_depth);
    transport_ = std::make_unique<CurlTransport>(loop_, http);
    // A queued request waits at most one exchange's time for a slot, then is answered not_sent.
    transfers_ = std::make_unique<TransferLimiter>(
        loop_, *transport_, static_cast<std::size_t>(config_.max_transfers_per_account), http.total_timeout);
    refresher_ = std::make_unique<TokenRefresher>(
        *secrets_, *transfers_, [this]() -> const Config& { return config_; }, [] {
            return std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                .count();
        });
    account_services_ =
        std::make_unique<AccountServices>(AccountServices{*store_, *secrets_, *transfers_, refresher_.get()});
    publishing_ = std::make_unique<PublishService>(loop_, *store_, *secrets_, *transfers_);
    publishing_->set_refresher(refresher_.get());
    post_services_ = std::make_unique<PostServices>(PostServices{*store_, *publishing_, post_bounds(config_),
                                                                 [this] { reschedule(); }, config_.schedule_zone,
                                                                 config_.catch_up_ms});
    publishing_->on_settled([this] { reschedule(); });
    publishing_->set_budgets(config_.budgets);
    publishing_->set_parallel_per_account(static_cast<std::size_t>(config_.max_transfers_per_account));
    events_ = std::make_unique<EventHub>([this](std::uint64_t id, const std::string& line) {
        return server_ && server_->push(id, line);
    });
    hooks_ = std::make_unique<Hooks>(loop_);
    hooks_->set(config_.hooks);
    publishing_->on_event([this](rpc::Json event) {
        hooks_->on_event(event);
        if (preflight_ && event.value("type", "") == "post" && event.value("state", "") == "scheduled") {
            preflight_->scheduled(event.value("post", ""));
        }
        events_->emit(std::move(event));
    });

    add_account_methods(methods_, *account_services_);
    logins_ = std::make_unique<Logins>(loop_, *account_services_, [this]() -> const Config& { return config_; });
    logins_->add_methods(methods_);
    add_post_methods(methods_, *post_services_);
    add_resolve_methods(methods_, *post_services_);
    add_schedule_methods(methods_, *post_services_);
    add_post_wait_method(methods_, *publishing_);
    add_daemon_methods(methods_, *this);
    vault_services_ = std::make_unique<VaultServices>(VaultServices{loop_, *secrets_, key_file, [this] {
        const std::size_t n = publishing_->continue_waiting_for("vault_locked");
        reschedule();
        return n;
    }});
    add_vault_methods(methods_, *vault_services_);
    add_event_methods(methods_, *events_);
    ServerOptions server_options;
    server_options.allowed_uid = ::geteuid();
    server_options.max_connections = static_cast<std::size_t>(config_.max_connections);
    server_options.daemon_version = growth::version;
    server_options.limits.max_owed = static_cast<std::size_t>(config_.max_owed_replies);
    server_ = std::make_unique<Server>(loop_, dispatcher_, server_options);
    if (options_.listen) open_listener();
    if (options_.handle_signals) {
        signals_ = std::make_unique<SignalSource>(
            loop_, SignalSource::Handlers{
                       [this](int signo) {
                           log(LogLevel::info, "received {}, stopping",
                               signo == SIGINT ? "SIGINT" : "SIGTERM");
                           stop();
                       },
                       [this] {
                           log(LogLevel::info, "received SIGHUP, reloading {}", config_path_.string());
                           try {
                               reload();
                           } catch (const Error&) {
                               // reload() logged it; the old configuration stays in force.
                           }
                       }});
    }
    scheduler_ = std::make_unique<Scheduler>(loop_, *store_, *publishing_);
    preflight_ = std::make_unique<Preflight>(loop_, *store_, methods_, *secrets_, [this](rpc::Json event) {
        hooks_->on_event(event);
        events_->emit(std::move(event));
    });
    // Interrupted threads first, then what came due while growthd was not running.
    publishing_->recover();
    reschedule();
    watchdog_ = std::make_unique<Watchdog>(loop_);
    started_ = std::chrono::steady_clock::now();
    started_wall_ = std::chrono::system_clock::now();
}

Daemon::~Daemon() = default;

void Daemon::open_listener() {
    const std::vector<int> inherited = systemd::take_listen_fds();
    if (!inherited.empty()) {
        for (std::size_t i = 1; i < inherited.size(); ++i) ::close(inherited[i]);
        Listener listener = Listener::adopt(inherited.front());
        socket_path_ = listener.path();
        log(LogLevel::info, "using the socket passed by systemd{}",
            socket_path_.empty() ? "" : " (" + socket_path_.string() + ")");
        server_->listen(std::move(listener));
        return;
    }
    if (options_.socket.empty()) {
        socket_path_ = paths::socket_path();
        paths::ensure_private_dir(socket_path_.parent_path());
    } else {
        socket_path_ = std::filesystem::absolute(options_.socket);
        const auto parent = socket_path_.parent_path();
        std::error_code ec;
        if (!std::filesystem::exists(parent, ec)) paths::ensure_private_dir(parent);
    }
    server_->listen(Listener::bind(socket_path_));
}

int Daemon::run() {
    log(LogLevel::info, "growthd {} ready on {} (data {})", growth::version, socket_path_.string(),
        data_dir_.string());
    systemd::notify(fmt::format("READY=1\nSTATUS=Serving on {}\nMAINPID={}", socket_path_.string(),
                                ::getpid()));
    loop_.run();
    systemd::notify("STOPPING=1\nSTATUS=Stopping");
    server_->stop_listening();
    server_->flush_all();
    log(LogLevel::info, "stopped");
    return 0;
}

void Daemon::stop() noexcept {
    if (stopping_) return;
    stopping_ = true;
    // Nothing more comes due while stopping; what does is fired at the next start.
    if (scheduler_) scheduler_->stop();
    if (preflight_) preflight_->stop();
    if (publishing_ && publishing_->running() > 0) {
        // Let the requests on the wire finish (bounded), so their outcome is known and
        // committed; nothing new starts. Stop after this round otherwise, so the reply to
        // daemon.stop is written first.
        try {
            log(LogLevel::info, "stopping: waiting up to {} s for {} publishing target(s)",
                shutdown_grace.count() / 1000, publishing_->running());
            publishing_->drain([this] { loop_.stop(); });
            grace_ = std::make_unique<OneShotTimer>(loop_, shutdown_grace, [this] {
                log(LogLevel::warning, "stopping with requests still in flight; their parts are "
                                       "checked at the next start");
                loop_.stop();
            });
            return;
        } catch (const std::exception&) {
            // Out of memory or descriptors: stop at once; recovery checks what was in flight.
        }
    }
    loop_.stop();
}

rpc::Json Daemon::status() {
    const Store::Counts counts = store_->counts();
    rpc::Json by_state = rpc::Json::object();
    for (const auto& [state, n] : counts.parts_by_state) by_state[state] = n;
    rpc::Json out = rpc::Json::object();
    out["version"] = growth::version;
    out["protocol"] = rpc::protocol_version;
    out["pid"] = ::getpid();
    out["uptime_seconds"] =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started_)
            .count();
    out["started_at"] = iso_utc(started_wall_);
    out["data_dir"] = data_dir_.string();
    out["config_file"] = config_path_.string();
    out["socket"] = socket_path_.string();
    out["socket_activated"] = server_->listener() != nullptr && server_->listener()->activated();
    out["log_level"] = to_string(config_.log_level);
    out["connections"] = server_->connections();
    out["replies"] = {{"owed", server_->owed()}, {"refused", server_->refused()}};
    out["publishing"] = {{"targets", publishing_->running()},
                         {"waiting", publishing_->waiting()},
                         {"http_in_flight", transport_->in_flight()},
                         {"http_queued", transfers_->queued()}};
    out["events"] = {{"watchers", events_->subscribers()}};
    out["vault"] = secrets_->locked() ? "locked" : "unlocked";
    out["log"] = Log::destination();
    out["problems"] = preflight_ ? preflight_->problems() : rpc::Json::array();
    out["schema_version"] = store_->user_version();
    rpc::Json c = rpc::Json::object();
    c["posts"] = counts.posts;
    c["targets"] = counts.targets;
    c["parts"] = counts.parts;
    c["parts_by_state"] = std::move(by_state);
    out["counts"] = std::move(c);
    return out;
}

rpc::Json Daemon::reload() {
    systemd::notify(systemd::reloading_message());
    try {
        const Config fresh = load_config(config_path_);
        apply(fresh);
    } catch (const Error& e) {
        log(LogLevel::error, "reload failed, keeping the previous configuration: {}", e.what());
        systemd::notify("READY=1\nSTATUS=Reload failed; previous configuration kept");
        throw;
    }
    systemd::notify(fmt::format("READY=1\nSTATUS=Serving on {}", socket_path_.string()));
    log(LogLevel::info, "configuration reloaded");
    rpc::Json out = rpc::Json::object();
    out["reloaded"] = true;
    out["log_level"] = to_string(config_.log_level);
    out["max_connections"] = config_.max_connections;
    return out;
}

void Daemon::apply(const Config& config) {
    config_ = config;
    Log::set_threshold(config_.log_level);
    server_->set_max_connections(static_cast<std::size_t>(config_.max_connections));
    // Bounds on what peers send apply to the requests and transfers that start from now on.
    dispatcher_.set_max_json_depth(config_.max_json_depth);
    transport_->set_response_limits(static_cast<std::size_t>(config_.max_response_bytes),
                                    config_.max_json_depth);
    server_->set_max_owed(static_cast<std::size_t>(config_.max_owed_replies));
    transfers_->set_per_account(static_cast<std::size_t>(config_.max_transfers_per_account));
    post_services_->bounds = post_bounds(config_);
    post_services_->zone = config_.schedule_zone;
    post_services_->catch_up_ms = config_.catch_up_ms;
    publishing_->set_budgets(config_.budgets);
    publishing_->set_parallel_per_account(static_cast<std::size_t>(config_.max_transfers_per_account));
    hooks_->set(config_.hooks);
}

void Daemon::reschedule() {
    if (!stopping_ && scheduler_) scheduler_->run();
    if (!stopping_ && preflight_) preflight_->run();
}

}  // namespace growth::daemon
