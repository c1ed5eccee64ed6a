#pragma once
// account.login.start / account.login.finish / account.login.cancel: logging in from a terminal
// with the platform's OAuth 2.0 authorization-code flow (PKCE where the platform takes it).
// start makes the PKCE pair and the state, opens the loopback listener for the one callback and
// answers with the authorize URL; finish waits for that callback (or takes the pasted URL),
// exchanges the code and stores the tokens (daemon/account_methods.hpp store_login).

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "core/config/config.hpp"
#include "core/http/message.hpp"
#include "core/rpc/method_table.hpp"
#include "daemon/account_methods.hpp"
#include "daemon/event_loop.hpp"

namespace growth::oauth {
struct TokenSet;
}

namespace growth::daemon {

class CallbackListener;

/// The logins in progress. Loop thread only; must outlive the method table.
class Logins {
public:
    /// `config` returns the configuration in force (a reload changes it).
    Logins(EventLoop& loop, AccountServices& accounts, std::function<const Config&()> config);
    ~Logins();
    Logins(const Logins&) = delete;
    Logins& operator=(const Logins&) = delete;

    /// How long a login waits for its callback (the original system's TTL).
    static constexpr std::chrono::minutes ttl{10};
    /// Logins in progress at once.
    static constexpr std::size_t max_pending = 8;

    /// Registers the account.login.* methods on `table`. Throws std::logic_error when a name is
    /// taken.
    void add_methods(rpc::MethodTable& table);

    /// Logins in progress (for status and tests).
    std::size_t pending() const noexcept { return pending_.size(); }

    struct Pending;

private:
    void start(const rpc::Json& params, rpc::Responder reply);
    /// The loopback listener of login `login_id` on `port` (0: a free one).
    std::unique_ptr<CallbackListener> listen(const std::string& login_id, int port);
    void finish(const rpc::Json& params, rpc::Responder reply);
    rpc::Json cancel(const rpc::Json& params);
    /// Ends login `id`: answers its waiter with `error` (when it has one) and drops it (later,
    /// outside any callback of its listener).
    void end(const std::string& id, std::exception_ptr error);
    void exchange(const std::string& id);
    /// Meta: the long-lived exchange answered; Facebook and Instagram list the Pages next.
    void exchanged(const std::string& id, http::Outcome outcome);
    /// Facebook and Instagram: takes the Page asked for (or the only one), or asks for one.
    void pick(const std::string& id);
    /// Stores what the login gave (store_login) and drops the login.
    void complete(const std::string& id, std::shared_ptr<oauth::TokenSet> tokens);
    /// Ends login `id` with `error` for its waiter.
    void fail(const std::string& id, std::exception_ptr error);

    EventLoop& loop_;
    AccountServices& accounts_;
    std::function<const Config&()> config_;
    std::map<std::string, std::shared_ptr<Pending>> pending_;
};

}  // namespace growth::daemon
