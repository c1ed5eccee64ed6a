#pragma once
// `growthctl calendar [--month YYYY-MM] [--tz ZONE] [--ics] [--json]`: a month of posts as a grid
// in the terminal (core/report/month_grid.hpp), or every scheduled and published post as an
// iCalendar file (core/report/ics.hpp). Reads post.list page by page; changes nothing.

#include <CLI/CLI.hpp>

#include "cli/global_options.hpp"

namespace growth::cli {

/// Registers the `calendar` verb on `app`. Throws nothing at registration.
void add_calendar_command(CLI::App& app, const GlobalOptions& global, int& exit_code);

}  // namespace growth::cli
