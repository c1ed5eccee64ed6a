// growthd: the per-user daemon behind growthctl.
#include <sys/prctl.h>

#include <cstdlib>
#include <exception>

#include "core/error.hpp"
#include "daemon/background.hpp"
#include "daemon/daemon.hpp"
#include "daemon/log.hpp"
#include "daemon/options.hpp"
#include "daemon/systemd.hpp"

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
        if (!parsed.options.foreground && !activated) go_background();
        Daemon daemon(parsed.options);
        report_ready();
        return daemon.run();
    } catch (const growth::Error& e) {
        log(growth::LogLevel::error, "{}", e.what());
    } catch (const std::exception& e) {
        log(growth::LogLevel::error, "{}", e.what());
    }
    systemd::notify("STATUS=Failed to start");
    return 1;
}
