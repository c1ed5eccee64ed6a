// growthctl: the command-line client of growthd.
#include <CLI/CLI.hpp>

#include "cli/global_options.hpp"
#include "cli/preview.hpp"
#include "growth/version.hpp"

int main(int argc, char** argv) {
    CLI::App app{"growthctl - publish and schedule social-media posts"};
    growth::cli::GlobalOptions global;
    int exit_code = 0;
    app.set_version_flag("--version", std::string("growthctl ") + growth::version);
    app.add_flag("--json", global.json, "Print one JSON object for scripts");
    growth::cli::add_preview_command(app, global, exit_code);
    CLI11_PARSE(app, argc, argv);
    return exit_code;
}
