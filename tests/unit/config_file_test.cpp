// load_config (reading the file) and data/config.toml.example (documents every key, parses to
// the defaults).

#include <doctest/doctest.h>

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "core/config/config.hpp"
#include "core/error.hpp"

namespace fs = std::filesystem;

namespace {

struct TempDir {
    fs::path path;
    TempDir() {
        std::string tmpl = (fs::temp_directory_path() / "growth-config-XXXXXX").string();
        REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
        path = tmpl;
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

void write_file(const fs::path& p, const std::string& text) {
    std::ofstream(p, std::ios::binary) << text;
}

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string load_error(const fs::path& p) {
    try {
        (void)growth::load_config(p);
    } catch (const growth::Error& e) {
        CHECK(e.kind() == "config_invalid");
        return e.what();
    }
    return "";
}

const fs::path example = fs::path(GROWTH_SOURCE_DIR) / "data" / "config.toml.example";

}  // namespace

TEST_CASE("config file: a missing file yields the defaults") {
    TempDir dir;
    const growth::Config c = growth::load_config(dir.path / "config.toml");
    CHECK(c.log_level == growth::LogLevel::info);
    CHECK(c.max_connections == 64);
}

TEST_CASE("config file: values are read from the file") {
    TempDir dir;
    write_file(dir.path / "config.toml", "[daemon]\nlog_level = \"notice\"\nmax_connections = 3\n");
    const growth::Config c = growth::load_config(dir.path / "config.toml");
    CHECK(c.log_level == growth::LogLevel::notice);
    CHECK(c.max_connections == 3);
}

TEST_CASE("config file: errors are prefixed with the file's path") {
    TempDir dir;
    const fs::path p = dir.path / "config.toml";
    write_file(p, "[daemon]\nlog_levl = \"debug\"\n");
    CHECK(load_error(p) ==
          p.string() + ":2:1: unknown key \"log_levl\" in [daemon]; did you mean \"log_level\"?");
}

TEST_CASE("config file: a directory in its place is refused") {
    TempDir dir;
    CHECK(load_error(dir.path) == dir.path.string() + ": is a directory, not a config file");
}

TEST_CASE("config file: a path through a non-directory is refused, not taken as missing") {
    TempDir dir;
    write_file(dir.path / "file", "");
    const fs::path p = dir.path / "file" / "config.toml";
    CHECK(load_error(p) == p.string() + ": cannot open: Not a directory");
}

TEST_CASE("config file: a file over 1 MiB is refused") {
    TempDir dir;
    const fs::path p = dir.path / "config.toml";
    write_file(p, std::string((1 << 20) + 1, '#'));
    CHECK(load_error(p) == p.string() + ": too large for a config file (over 1 MiB)");
}

TEST_CASE("config example: as shipped (every key commented) it yields the defaults") {
    const growth::Config c = growth::load_config(example);
    CHECK(c.log_level == growth::Config{}.log_level);
    CHECK(c.max_connections == growth::Config{}.max_connections);
}

TEST_CASE("config example: uncommented, it documents exactly every key, at its default") {
    // Turn "#key = value" into "key = value" and note which dotted keys that defines.
    const std::regex commented_key(R"(^#([a-z_]+) = .*$)");
    const std::regex table_header(R"(^\[([a-z_.]+)\]$)");
    std::istringstream in(read_file(example));
    std::string line, table, text;
    std::set<std::string> documented;
    std::smatch m;
    while (std::getline(in, line)) {
        if (std::regex_match(line, m, table_header)) {
            table = m[1];
        } else if (std::regex_match(line, m, commented_key)) {
            documented.insert(table + "." + std::string(m[1]));
            line.erase(0, 1);
        }
        text += line + "\n";
    }
    const auto keys = growth::config_keys();
    CHECK(documented == std::set<std::string>(keys.begin(), keys.end()));

    const growth::Config c = growth::parse_config(text, "config.toml.example");
    CHECK(c.log_level == growth::Config{}.log_level);
    CHECK(c.max_connections == growth::Config{}.max_connections);
}
