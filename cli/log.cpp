#include "cli/log.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <deque>
#include <fstream>
#include <memory>
#include <string>
#include <thread>

#include <fmt/format.h>

#include "cli/failure.hpp"
#include "cli/session.hpp"
#include "core/json.hpp"
#include "core/paths.hpp"

namespace growth::cli {

namespace {

// Where a running growthd logs (daemon.status "log"), or "" when none runs. Never starts one.
std::string running_destination(const GlobalOptions& global) {
    GlobalOptions options = global;
    options.no_autostart = true;
    options.verbose = 0;
    try {
        return string_field(connect_daemon(options)->call("daemon.status", Json::object()), "log");
    } catch (const Failure& f) {
        if (f.code() == ExitCode::unreachable) return "";
        throw;
    }
}

[[noreturn]] void journal(int lines, bool follow) {
    const std::string n = std::to_string(lines);
    std::vector<std::string> args = {"journalctl", "--user", "--unit", "growthd", "--lines", n, "--no-pager"};
    if (follow) args.push_back("--follow");
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::fflush(stdout);
    ::execvp("journalctl", argv.data());
    throw Failure(ExitCode::failed, "failed", "growthd logs to the journal, and journalctl cannot be run here",
                  "journalctl --user --unit growthd");
}

// The last `lines` lines of PATH.1 then PATH; returns how far PATH was read (where following goes
// on, so no line falls between the two).
off_t print_tail(const std::string& path, int lines) {
    std::deque<std::string> last;
    off_t read_to = 0;
    for (const std::string& file : {path + ".1", path}) {
        std::ifstream in(file, std::ios::binary);
        for (std::string line; std::getline(in, line);) {
            last.push_back(std::move(line));
            if (static_cast<int>(last.size()) > lines) last.pop_front();
        }
        if (file == path && in.is_open()) {
            in.clear();
            in.seekg(0, std::ios::end);
            read_to = static_cast<off_t>(in.tellg());
        }
    }
    for (const auto& line : last) std::printf("%s\n", line.c_str());
    std::fflush(stdout);
    return read_to;
}

// Prints what is appended to `path` from `offset` on, until interrupted; starts again from the top
// of a new file when growthd rotates it.
[[noreturn]] void follow_file(const std::string& path, off_t offset) {
    struct stat st {};
    ino_t inode = ::stat(path.c_str(), &st) == 0 ? st.st_ino : 0;
    char buffer[65536];
    for (;;) {
        if (::stat(path.c_str(), &st) == 0) {
            if (st.st_ino != inode || st.st_size < offset) {
                inode = st.st_ino;
                offset = 0;
            }
            if (st.st_size > offset) {
                if (FILE* f = std::fopen(path.c_str(), "rb")) {
                    std::fseek(f, offset, SEEK_SET);
                    std::size_t n;
                    while ((n = std::fread(buffer, 1, sizeof buffer, f)) > 0) {
                        std::fwrite(buffer, 1, n, stdout);
                        offset += static_cast<off_t>(n);
                    }
                    std::fclose(f);
                    std::fflush(stdout);
                }
            }
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
}

void run_log(const GlobalOptions& global, bool follow, int lines) {
    const std::string where = running_destination(global);
    if (where == "journal") journal(lines, follow);
    if (where == "stderr") {
        throw Failure(ExitCode::failed, "no_log",
                      "growthd logs to its standard error (it was started with --foreground, or by a service "
                      "manager that keeps it)");
    }
    const std::string path = where.empty() ? paths::log_file().string() : where;
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 && !follow) {
        throw Failure(ExitCode::failed, "no_log",
                      fmt::format("no log at {} yet: growthd writes it when growthctl starts it in the background",
                                  path),
                      "under systemd: journalctl --user --unit growthd");
    }
    const off_t read_to = print_tail(path, lines);
    if (follow) follow_file(path, read_to);
}

void run_stop(const GlobalOptions& global) {
    GlobalOptions options = global;
    options.no_autostart = true;
    try {
        (void)connect_daemon(options)->call("daemon.stop", Json::object());
    } catch (const Failure& f) {
        if (f.code() != ExitCode::unreachable) throw;
        if (!global.json) std::printf("growthd is not running\n");
        else std::printf("%s\n", Json{{"stopped", false}, {"running", false}}.dump().c_str());
        return;
    }
    if (!global.json) std::printf("growthd is stopping\n");
    else std::printf("%s\n", Json{{"stopped", true}}.dump().c_str());
}

}  // namespace

void add_log_commands(CLI::App& app, const GlobalOptions& global, int& exit_code) {
    auto follow = std::make_shared<bool>(false);
    auto lines = std::make_shared<int>(50);
    auto* log = app.add_subcommand("log", "Show growthd's log (the journal's under systemd)");
    log->add_flag("-f,--follow", *follow, "Keep printing lines as growthd writes them (Ctrl-C stops)");
    log->add_option("-n,--lines", *lines, "How many of the last lines to print (default 50)")
        ->check(CLI::Range(0, 1000000));
    log->callback([&global, &exit_code, follow, lines] {
        run_log(global, *follow, *lines);
        exit_code = 0;
    });
    auto* stop = app.add_subcommand("stop", "Stop growthd (never starts one to stop it)");
    stop->callback([&global, &exit_code] {
        run_stop(global);
        exit_code = 0;
    });
}

}  // namespace growth::cli
