#pragma once
// CLI11's parse errors in the user's words: which option or argument is wrong and what it wants,
// with the nearest option for a misspelt one and the verb's own --help as the hint.

#include <string>

#include <CLI/CLI.hpp>

namespace growth::cli {

/// What went wrong on the command line, said as growthctl says it.
struct ParseProblem {
    std::string message;
    std::string hint;
};

/// `e`, thrown while parsing the command line of `app`, in the user's words. Throws bad_alloc.
ParseProblem explain(const CLI::ParseError& e, const CLI::App& app);

/// The verb path the command line reached ("account add"), empty for none. Throws bad_alloc.
std::string parsed_verb(const CLI::App& app);

}  // namespace growth::cli
