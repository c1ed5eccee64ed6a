// growthd: the per-user daemon behind growthctl.
#include <sys/prctl.h>
#include <unistd.h>

#include <cstdlib>
#include <exception>

#include "core/error.hpp"
#include "core/paths.hpp"
#include "growth/version.hpp"
#include "daemon/background.hpp"
#include "daemon/daemon.hpp"
#include "daemon/log.hpp"
#include "daemon/options.hpp"
#include "daemon/systemd.hpp"

namespace {

// In the background nobody reads stderr: from here on growthd logs to
// $XDG_STATE_HOME/growth/growthd.log (growthctl log shows it). Without a usable state directory
// the lines are dropped, as before.
void log_to_state_file() noexcept {
    using namespace growth;
    try {
        const auto path = paths::log_file();
        paths::ensure_private_dir(path.parent_path());
        daemon::Log::to_file(path.string());
        daemon::log(LogLevel::info, "version {}, pid {}, in the background: this log is {}", growth::version,
                    ::getpid(), path.string());
    } catch (...) {
    }
}

}  // namespace

int main(int argc, char** argv) {
    using namespace growth::daemon;
    ParsedOptions parsed = parse_options(argc, argv);
    if (parsed.exit_code) return *parsed.exit_code;
    Log::init();
    // No core dump and no ptrace by other processes of the user: growthd holds the vault's data
    // key and account tokens in memory (DESIGN.md §6).
    ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    try {
        // Under socket activation systemd supervises us: never fork away from it.
        const bool activated = std::getenv("LISTEN_FDS") != nullptr;
        const bool background = !parsed.options.foreground && !activated;
        if (background) go_background();
        Daemon daemon(parsed.options);
        report_ready();
        if (background) log_to_state_file();
        return daemon.run();
    } catch (const growth::Error& e) {
        log(growth::LogLevel::error, "{}", e.what());
    } catch (const std::exception& e) {
        log(growth::LogLevel::error, "{}", e.what());
    }
    systemd::notify("STATUS=Failed to start");
    return 1;
}
