#include "cli/app.hpp"

#include <cstdio>
#include <string>
#include <vector>

#include "cli/failure.hpp"
#include "cli/status.hpp"
#include "core/did_you_mean.hpp"
#include "growth/version.hpp"

namespace growth::cli {

namespace {

void print_error(const std::string& message, const std::string& hint = {}) {
    std::fprintf(stderr, "growthctl: error: %s\n", message.c_str());
    if (!hint.empty()) std::fprintf(stderr, "hint: %s\n", hint.c_str());
}

/// The first argument that looks like a verb but is none of the known ones, if any.
int unknown_verb(const CLI::App& app, const std::vector<std::string>& extras) {
    std::vector<std::string> verbs;
    for (const auto* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
        // After a real verb, a stray word is an extra argument, not a misspelt verb.
        if (sub->parsed()) return -1;
        verbs.push_back(sub->get_name());
    }
    for (const auto& word : extras) {
        if (word.empty() || word[0] == '-') continue;
        std::string message = "unknown verb '" + word + "'";
        if (auto suggestion = did_you_mean(word, verbs)) message += "; did you mean '" + *suggestion + "'?";
        print_error(message, "see growthctl --help for the verbs");
        return static_cast<int>(ExitCode::usage);
    }
    return -1;
}

}  // namespace

void add_global_options(CLI::App& app, GlobalOptions& global) {
    app.set_version_flag("--version", std::string("growthctl ") + growth::version);
    app.add_option("--socket", global.socket, "growthd's socket (default "
                                               "$XDG_RUNTIME_DIR/growth/growthd.sock)")
        ->envname("GROWTH_SOCKET");
    app.add_flag("--json", global.json, "Print one JSON object for scripts");
    app.add_flag("--no-autostart", global.no_autostart,
                 "Never start growthd; exit 3 when it is not running");
    app.add_flag("-v,--verbose", global.verbose, "Print the JSON-RPC traffic on stderr");
    app.fallthrough();  // global options are accepted after the verb too
}

int run(CLI::App& app, int argc, const char* const* argv, const GlobalOptions& global,
        int& exit_code) noexcept {
    try {
        try {
            app.parse(argc, argv);
        } catch (const CLI::CallForHelp&) {
            std::fputs(app.help().c_str(), stdout);
            return 0;
        } catch (const CLI::CallForAllHelp&) {
            std::fputs(app.help("", CLI::AppFormatMode::All).c_str(), stdout);
            return 0;
        } catch (const CLI::CallForVersion& e) {
            std::printf("%s\n", e.what());
            return 0;
        } catch (const CLI::ExtrasError&) {
            const int code = unknown_verb(app, app.remaining());
            if (code >= 0) return code;
            throw;
        }
        bool any_verb = false;
        for (const auto* sub : app.get_subcommands()) any_verb = any_verb || sub->parsed();
        if (!any_verb) exit_code = run_status(global);
        return exit_code;
    } catch (const CLI::ParseError& e) {
        print_error(e.what(), "see growthctl --help");
        return static_cast<int>(ExitCode::usage);
    } catch (const Failure& e) {
        print_error(e.what(), e.hint());
        return static_cast<int>(e.code());
    } catch (const Error& e) {
        print_error(e.what());
        return static_cast<int>(exit_code_for_kind(e.kind()));
    } catch (const std::exception& e) {
        print_error(e.what());
        return static_cast<int>(ExitCode::failed);
    }
}

}  // namespace growth::cli
