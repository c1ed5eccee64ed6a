#include "cli/app.hpp"

#include <cstdio>
#include <memory>
#include <optional>
#include <string_view>

#include <fmt/format.h>
#include <string>
#include <vector>

#include "cli/failure.hpp"
#include "cli/parse_errors.hpp"
#include "cli/status.hpp"
#include "core/json.hpp"
#include "core/did_you_mean.hpp"
#include "growth/version.hpp"

namespace growth::cli {

namespace {

bool json_errors = false;  // --json: errors go to stdout as one JSON object

void print_error(const std::string& message, const std::string& hint = {}, const std::string& kind = "usage") {
    if (json_errors) {
        Json error = {{"kind", kind}, {"message", message}};
        if (!hint.empty()) error["hint"] = hint;
        std::printf("%s\n", Json{{"error", error}}.dump(-1, ' ', false, Json::error_handler_t::replace).c_str());
        std::fflush(stdout);
        return;
    }
    std::fprintf(stderr, "growthctl: error: %s\n", message.c_str());
    if (!hint.empty()) std::fprintf(stderr, "hint: %s\n", hint.c_str());
}

// --json anywhere before "--": known even when the command line does not parse.
bool asks_for_json(int argc, const char* const* argv) {
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        if (a == "--") return false;
        if (a == "--json") return true;
    }
    return false;
}

std::vector<std::string> verb_names(const CLI::App& app) {
    std::vector<std::string> verbs;
    for (const auto* sub : app.get_subcommands([](const CLI::App*) { return true; })) verbs.push_back(sub->get_name());
    return verbs;
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
        print_error(message, "see growthctl --help for the verbs", "unknown_verb");
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

void add_help_command(CLI::App& app) {
    // Listed with the verbs; run() answers it before CLI11 parses (the verb words after it would
    // otherwise be taken as the verbs themselves).
    app.add_subcommand("help", "Show the help of growthctl, or of a verb: growthctl help account add");
}

namespace {

// The words after "help" when it is the verb of this command line; nullopt when it is not.
std::optional<std::vector<std::string>> help_words(int argc, const char* const* argv) {
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        if (a == "--socket") {
            ++i;
            continue;
        }
        if (a.starts_with("-")) continue;
        if (a != "help") return std::nullopt;
        std::vector<std::string> words;
        for (int j = i + 1; j < argc; ++j) {
            if (argv[j][0] != '-') words.emplace_back(argv[j]);
        }
        return words;
    }
    return std::nullopt;
}

// Prints the help of the verb `words` name.
void print_help(const CLI::App& app, const std::vector<std::string>& words) {
    const CLI::App* at = &app;
    std::string prefix = "growthctl";
    for (const std::string& word : words) {
        const CLI::App* next = nullptr;
        for (const auto* sub : at->get_subcommands([](const CLI::App*) { return true; })) {
            if (sub->get_name() == word) next = sub;
        }
        if (next == nullptr) {
            std::string message = at == &app ? fmt::format("unknown verb '{}'", word)
                                             : fmt::format("{} {} has no verb '{}'", prefix, at->get_name(), word);
            if (auto near = did_you_mean(word, verb_names(*at))) message += fmt::format("; did you mean '{}'?", *near);
            throw Failure(ExitCode::usage, "unknown_verb", message,
                          fmt::format("see {}{} --help", prefix, at == &app ? "" : " " + at->get_name()));
        }
        if (at != &app) prefix += " " + at->get_name();
        at = next;
    }
    std::fputs(at == &app ? app.help().c_str() : at->help(prefix).c_str(), stdout);
}

}  // namespace

int run(CLI::App& app, int argc, const char* const* argv, const GlobalOptions& global,
        int& exit_code) noexcept {
    json_errors = global.json || asks_for_json(argc, argv);
    try {
        if (const auto words = help_words(argc, argv)) {
            print_help(app, *words);
            return 0;
        }
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
        const ParseProblem problem = explain(e, app);
        print_error(problem.message, problem.hint);
        return static_cast<int>(ExitCode::usage);
    } catch (const Failure& e) {
        print_error(e.what(), e.hint(), e.kind());
        return static_cast<int>(e.code());
    } catch (const Error& e) {
        print_error(e.what(), {}, e.kind());
        return static_cast<int>(exit_code_for_kind(e.kind()));
    } catch (const std::exception& e) {
        print_error(e.what(), {}, "failed");
        return static_cast<int>(ExitCode::failed);
    }
}

}  // namespace growth::cli
