#pragma once
// growthd assembled: config, data-directory lock, store, listening socket, signals, the wall-clock
// timer and the RPC server, all on one event loop.

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>

#include "core/config/config.hpp"
#include "core/rpc/dispatcher.hpp"
#include "core/rpc/method_table.hpp"
#include "core/secrets/secret_store.hpp"
#include "core/store/store.hpp"
#include "daemon/account_methods.hpp"
#include "daemon/curl_transport.hpp"
#include "daemon/data_lock.hpp"
#include "daemon/event_loop.hpp"
#include "daemon/login_methods.hpp"
#include "daemon/methods.hpp"
#include "daemon/post_methods.hpp"
#include "daemon/events.hpp"
#include "daemon/hooks.hpp"
#include "daemon/publish_service.hpp"
#include "daemon/publish_timer.hpp"
#include "daemon/server.hpp"
#include "daemon/signals.hpp"
#include "daemon/transfer_limiter.hpp"
#include "daemon/scheduler.hpp"
#include "daemon/preflight.hpp"
#include "daemon/vault_methods.hpp"
#include "daemon/watchdog.hpp"

namespace growth::daemon {

/// Command-line choices of growthd. Empty paths mean the XDG defaults.
struct DaemonOptions {
    std::filesystem::path config_file;
    std::filesystem::path data_dir;
    std::filesystem::path socket;
    std::filesystem::path key_file;  ///< the vault's key file (default $XDG_CONFIG_HOME/growth/vault.key)
    std::chrono::milliseconds http_timeout{30'000};  ///< one HTTP exchange, stalls included
    bool foreground = false;
    bool listen = true;          ///< false in tests that hand connections to server() directly
    bool handle_signals = true;  ///< false in tests: leaves the process signal mask alone
};

/// The daemon. Construct, then run(). Loop thread only.
class Daemon final : public DaemonControl {
public:
    /// Loads the config, takes the data-directory lock, opens the store, binds or adopts the socket.
    /// Throws growth::Error (config_invalid, already_running, store_too_new, store_error,
    /// runtime_dir_unsafe, socket_in_use, socket_error, ...) with a message for the user.
    explicit Daemon(DaemonOptions options);
    ~Daemon() override;

    /// Announces readiness (sd_notify READY=1), serves until stopped, then shuts down gracefully.
    /// Returns the process exit code. Throws std::system_error on loop failure.
    int run();

    rpc::Json status() override;
    rpc::Json reload() override;
    void stop() noexcept override;

    EventLoop& loop() noexcept { return loop_; }
    Server& server() noexcept { return *server_; }
    Scheduler& scheduler() noexcept { return *scheduler_; }
    PublishService& publishing() noexcept { return *publishing_; }
    const std::filesystem::path& socket_path() const noexcept { return socket_path_; }
    const Config& config() const noexcept { return config_; }

private:
    void open_listener();
    void apply(const Config& config);
    void reschedule();

    DaemonOptions options_;
    std::filesystem::path config_path_;
    std::filesystem::path data_dir_;
    std::filesystem::path socket_path_;
    Config config_;
    std::unique_ptr<DataLock> lock_;
    std::unique_ptr<Store> store_;
    EventLoop loop_;
    rpc::MethodTable methods_;
    rpc::Dispatcher dispatcher_;
    std::unique_ptr<Server> server_;
    std::unique_ptr<SignalSource> signals_;
    std::unique_ptr<Watchdog> watchdog_;
    std::chrono::steady_clock::time_point started_;
    std::chrono::system_clock::time_point started_wall_;
    bool stopping_ = false;
    // Declared last so they go first: runs in flight reference the transport and the store.
    std::unique_ptr<secrets::Vault> secrets_;
    std::unique_ptr<VaultServices> vault_services_;
    std::unique_ptr<Preflight> preflight_;  ///< before transport_: its checks' answers come through it
    std::unique_ptr<CurlTransport> transport_;
    std::unique_ptr<TransferLimiter> transfers_;  ///< every request goes through it (per account)
    std::unique_ptr<TokenRefresher> refresher_;  ///< used by account_services_ and publishing_
    std::unique_ptr<AccountServices> account_services_;
    std::unique_ptr<Logins> logins_;  ///< after account_services_, which it uses
    std::unique_ptr<EventHub> events_;  ///< outlives publishing_, which emits into it
    std::unique_ptr<Hooks> hooks_;      ///< the same
    std::unique_ptr<PublishService> publishing_;
    std::unique_ptr<PostServices> post_services_;
    std::unique_ptr<Scheduler> scheduler_;  ///< last: it starts runs on publishing_
    std::unique_ptr<OneShotTimer> grace_;  ///< bounds the wait for in-flight requests at stop
    /// How long a stop waits for requests already on the wire.
    static constexpr std::chrono::milliseconds shutdown_grace{10'000};
};

}  // namespace growth::daemon
