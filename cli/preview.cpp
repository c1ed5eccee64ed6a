#include "cli/preview.hpp"

namespace growth::cli {

// Placeholder until the text issue lands: registers nothing.
void add_preview_command(CLI::App&, const GlobalOptions&, int&) {}

}  // namespace growth::cli
