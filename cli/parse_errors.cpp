#include "cli/parse_errors.hpp"

#include <algorithm>
#include <regex>
#include <vector>

#include <fmt/format.h>

#include "core/did_you_mean.hpp"

namespace growth::cli {

namespace {

const CLI::App* deepest_parsed(const CLI::App& app) {
    const CLI::App* at = &app;
    for (bool deeper = true; deeper;) {
        deeper = false;
        for (const CLI::App* sub : at->get_subcommands([](const CLI::App*) { return true; })) {
            if (sub->parsed()) {
                at = sub;
                deeper = true;
                break;
            }
        }
    }
    return at;
}

// The long options a word could have meant: the verb's and growthctl's own.
std::vector<std::string> long_options(const CLI::App* verb, const CLI::App& app) {
    std::vector<std::string> out;
    for (const CLI::App* a : {verb, &app}) {
        for (const CLI::Option* o : a->get_options()) {
            for (const std::string& name : o->get_lnames()) out.push_back("--" + name);
        }
    }
    return out;
}

std::vector<std::string> words(const std::string& list) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : list) {
        if (c == ' ') {
            if (!cur.empty()) out.push_back(cur);
            cur.clear();
        } else {
            cur += c;
        }
    }
    if (!cur.empty()) out.push_back(cur);
    return out;
}

}  // namespace

std::string parsed_verb(const CLI::App& app) {
    std::string out;
    for (const CLI::App* at = &app;;) {
        const CLI::App* next = nullptr;
        for (const CLI::App* sub : at->get_subcommands([](const CLI::App*) { return true; })) {
            if (sub->parsed()) next = sub;
        }
        if (!next) return out;
        out += (out.empty() ? "" : " ") + next->get_name();
        at = next;
    }
}

ParseProblem explain(const CLI::ParseError& e, const CLI::App& app) {
    const CLI::App* verb = deepest_parsed(app);
    const std::string path = parsed_verb(app);
    const std::string help = path.empty() ? "see growthctl --help" : fmt::format("see growthctl {} --help", path);
    const std::string what = e.what();
    std::smatch m;
    static const std::regex mismatch(R"(^(\S+): \d+ required \S+ missing$)");
    static const std::regex conversion(R"(^Could not convert: (\S+) = (.*)$)");
    static const std::regex extras(R"(^The following arguments? (?:was|were) not expected: (.*)$)");
    static const std::regex required(R"(^(\S+) is required$)");
    static const std::regex excludes(R"(^(\S+) excludes (\S+)$)");
    static const std::regex requires_(R"(^(\S+) requires (\S+)$)");
    if (std::regex_match(what, m, mismatch)) return {fmt::format("{} needs a value", m[1].str()), help};
    if (std::regex_match(what, m, conversion)) {
        return {fmt::format("{} takes a number, not '{}'", m[1].str(), m[2].str()), help};
    }
    if (std::regex_match(what, m, required)) {
        if (path.empty()) return {fmt::format("{} is missing", m[1].str()), help};
        return {fmt::format("growthctl {} needs {}", path, m[1].str()), help};
    }
    if (std::regex_match(what, m, excludes)) {
        return {fmt::format("give {} or {}, not both", m[1].str(), m[2].str()), help};
    }
    if (std::regex_match(what, m, requires_)) return {fmt::format("{} needs {} too", m[1].str(), m[2].str()), help};
    if (std::regex_match(what, m, extras)) {
        auto extra = words(m[1].str());
        std::reverse(extra.begin(), extra.end());  // CLI11 lists them last first
        for (const std::string& w : extra) {
            if (w.size() < 2 || w[0] != '-') continue;
            const std::string name = w.substr(0, w.find('='));
            std::string message = fmt::format("unknown option {}", name);
            if (auto near = did_you_mean(name, long_options(verb, app))) message += fmt::format("; did you mean {}?", *near);
            return {message, help};
        }
        std::string joined;
        for (const std::string& w : extra) joined += (joined.empty() ? "" : " ") + w;
        bool takes_words = false;
        for (const CLI::Option* o : verb->get_options()) takes_words = takes_words || o->get_positional();
        if (!takes_words || path.empty()) {
            return {fmt::format("{} takes no arguments, got '{}'", path.empty() ? "growthctl" : "growthctl " + path, joined),
                    help};
        }
        return {fmt::format("unexpected argument{} '{}': a text with spaces goes in quotes, e.g. growthctl {} "
                            "'several words'",
                            extra.size() == 1 ? "" : "s", joined, path),
                help};
    }
    if (dynamic_cast<const CLI::RequiredError*>(&e) && what.find("subcommand") != std::string::npos) {
        return {fmt::format("growthctl {} needs a verb", path), help};
    }
    return {what, help};
}

}  // namespace growth::cli
