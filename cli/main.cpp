// growthctl: the command-line client of growthd. One verb, one call; no verb means status.
#include <CLI/CLI.hpp>

#include "cli/account.hpp"
#include "cli/app.hpp"
#include "cli/calendar.hpp"
#include "cli/global_options.hpp"
#include "cli/log.hpp"
#include "cli/post.hpp"
#include "cli/preview.hpp"
#include "cli/quota.hpp"
#include "cli/resolve.hpp"
#include "cli/schedule.hpp"
#include "cli/rpc_verb.hpp"
#include "cli/status.hpp"
#include "cli/vault.hpp"
#include "cli/watch.hpp"

int main(int argc, char** argv) {
    CLI::App app{"growthctl - publish and schedule social-media posts", "growthctl"};
    growth::cli::GlobalOptions global;
    int exit_code = 0;
    growth::cli::add_global_options(app, global);
    growth::cli::add_status_command(app, global, exit_code);
    growth::cli::add_rpc_command(app, global, exit_code);
    growth::cli::add_preview_command(app, global, exit_code);
    growth::cli::add_account_command(app, global, exit_code);
    growth::cli::add_post_commands(app, global, exit_code);
    growth::cli::add_resolve_command(app, global, exit_code);
    growth::cli::add_schedule_commands(app, global, exit_code);
    growth::cli::add_calendar_command(app, global, exit_code);
    growth::cli::add_quota_command(app, global, exit_code);
    growth::cli::add_watch_command(app, global, exit_code);
    growth::cli::add_vault_commands(app, global, exit_code);
    growth::cli::add_log_commands(app, global, exit_code);
    growth::cli::add_help_command(app);
    return growth::cli::run(app, argc, argv, global, exit_code);
}
