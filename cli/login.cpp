#include "cli/login.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "cli/account.hpp"
#include "cli/failure.hpp"
#include "cli/interrupt.hpp"
#include "cli/prompt.hpp"
#include "cli/session.hpp"
#include "core/json.hpp"
#include "core/platform.hpp"
#include "core/secrets/secret_bytes.hpp"

extern char** environ;

namespace growth::cli {

namespace {

struct LoginOptions {
    std::string platform, name, api_base, web_base, username, author, instance, page;
    std::string handle, service, app_password_file;  // bluesky
    bool no_browser = false, paste = false;
};

bool desktop_session() {
    const char* x = std::getenv("DISPLAY");
    const char* w = std::getenv("WAYLAND_DISPLAY");
    return (x && *x) || (w && *w);
}

// Hands the URL to the desktop's browser; quietly does nothing where there is none.
void open_browser(const std::string& url) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    std::string program = "xdg-open";
    std::string arg = url;
    char* argv[] = {program.data(), arg.data(), nullptr};
    pid_t pid = 0;
    if (posix_spawnp(&pid, "xdg-open", &actions, nullptr, argv, environ) != 0) pid = 0;
    posix_spawn_file_actions_destroy(&actions);
    (void)pid;  // not waited for: xdg-open returns at once, and growthctl exits soon after
}

std::string read_pasted_line(bool terminal) {
    if (terminal) {
        std::fputs("After you allow access, the browser goes to an address starting with\n"
                   "http://127.0.0.1:.../callback?code=... (its page may say it cannot be reached: that is\n"
                   "expected). Paste that whole address (or the code), then press Enter:\n> ",
                   stderr);
        std::fflush(stderr);
    }
    std::string line;
    if (!std::getline(std::cin, line)) {
        throw Failure(ExitCode::usage, "bad_input", "nothing was pasted (standard input ended); the login was canceled");
    }
    return line;
}

// account.login.finish; where Facebook or Instagram asks which Page and a person is at the
// terminal, asks them and finishes with their answer (anywhere else the error names --page).
rpc::Json finish_choosing_page(DaemonConnection& connection, rpc::Json finish, bool ask) {
    for (;;) {
        try {
            return connection.call("account.login.finish", finish);
        } catch (const Failure& f) {
            if (f.kind() != "page_required") throw;
            if (!ask || ::isatty(STDIN_FILENO) != 1) {
                // The login waits for a Page no one will give here: end it now.
                (void)connection.call("account.login.cancel", {{"login_id", finish["login_id"]}});
                throw;
            }
            std::fprintf(stderr, "%s\nPage (number, id or name): ", f.what());
            std::fflush(stderr);
            std::string line;
            if (!std::getline(std::cin, line) || line.empty()) {
                (void)connection.call("account.login.cancel", {{"login_id", finish["login_id"]}});
                throw Failure(ExitCode::usage, "bad_input", "no Page was chosen; the login was canceled, nothing was stored");
            }
            finish["page"] = line;
        }
    }
}

// Bluesky has no OAuth login here: its app password is the login (account.add for a new
// account, account.update for an existing one), checked with createSession before it is kept.
void run_bluesky_login(const GlobalOptions& global, const LoginOptions& o) {
    if (o.paste || o.no_browser || !o.page.empty() || !o.username.empty() || !o.author.empty() || !o.instance.empty()) {
        throw Failure(ExitCode::usage, "bad_input",
                      "a bluesky login takes --name, --handle, --service, --api-base, --web-base and "
                      "--app-password-file only");
    }
    const std::string name = o.name.empty() ? std::string("bluesky") : o.name;
    GlobalOptions quiet = global;  // the requests carry the app password: never trace them (-v)
    quiet.verbose = 0;
    auto connection = connect_daemon(quiet);
    bool exists = true;
    try {
        const rpc::Json shown = connection->call("account.show", {{"name", name}});
        if (string_field(shown, "platform") != "bluesky") {
            throw Failure(ExitCode::usage, "account_exists",
                          fmt::format("account {} is a {} account, not bluesky; log in with --name OTHER", name,
                                      string_field(shown, "platform")));
        }
    } catch (const Failure& f) {
        if (f.kind() != "account_not_found") throw;
        exists = false;
    }
    if (exists && (!o.handle.empty() || !o.service.empty() || !o.api_base.empty() || !o.web_base.empty())) {
        throw Failure(ExitCode::usage, "bad_input",
                      fmt::format("account {} exists: logging in again replaces its app password and keeps its "
                                  "settings; drop --handle, --service, --api-base and --web-base",
                                  name));
    }
    if (!exists && o.handle.empty()) {
        throw Failure(ExitCode::usage, "bad_input", "a new bluesky account needs --handle HANDLE (e.g. alice.bsky.social)");
    }
    std::string password;
    if (!o.app_password_file.empty()) {
        password = read_secret_file(o.app_password_file, "--app-password-file");
    } else if (auto typed = read_hidden(fmt::format(
                   "Bluesky app password for {} (create one under Settings > Privacy and security > App passwords): ",
                   exists ? name : o.handle))) {
        password = std::move(*typed);
    } else {
        throw Failure(ExitCode::usage, "bad_input",
                      "no terminal to ask for the app password on: pass --app-password-file FILE");
    }
    rpc::Json params = {{"name", name}, {"app_password", password}};
    secrets::wipe(password.data(), password.size());
    if (!exists) {
        params["platform"] = "bluesky";
        params["handle"] = o.handle;
        if (!o.service.empty()) params["service"] = o.service;
        if (!o.api_base.empty()) params["api_base"] = o.api_base;
        if (!o.web_base.empty()) params["web_base"] = o.web_base;
    }
    const auto wipe = [&params] {
        auto& s = params["app_password"].get_ref<std::string&>();
        secrets::wipe(s.data(), s.size());
    };
    rpc::Json result;
    try {
        result = connection->call(exists ? "account.update" : "account.add", params);
    } catch (...) {
        wipe();
        throw;
    }
    wipe();
    if (global.json) {
        std::printf("%s\n", result.dump().c_str());
        return;
    }
    std::printf("%s bluesky account %s with its app password (checked with a new session)\n",
                exists ? "logged in again:" : "logged in: added", name.c_str());
}

void run_login(const GlobalOptions& global, const LoginOptions& o) {
    if (o.platform == "bluesky") return run_bluesky_login(global, o);
    if (!o.handle.empty() || !o.service.empty() || !o.app_password_file.empty()) {
        throw Failure(ExitCode::usage, "bad_input",
                      fmt::format("--handle, --service and --app-password-file apply only to a bluesky login, not {}",
                                  o.platform));
    }
    rpc::Json params = rpc::Json::object();
    params["platform"] = o.platform;
    if (!o.name.empty()) params["name"] = o.name;
    if (o.paste) params["paste"] = true;
    const auto set = [&](const char* key, const std::string& v) {
        if (!v.empty()) params[key] = v;
    };
    set("api_base", o.api_base);
    set("web_base", o.web_base);
    set("username", o.username);
    set("author", o.author);
    set("instance", o.instance);
    set("page", o.page);

    // The pasted address carries the code and the tokens come back in the answer: never trace
    // this exchange (-v).
    GlobalOptions quiet = global;
    quiet.verbose = 0;
    auto connection = connect_daemon(quiet);
    const rpc::Json started = connection->call("account.login.start", params);
    const std::string url = string_field(started, "authorize_url");
    const std::string id = string_field(started, "login_id");
    const bool terminal = ::isatty(STDERR_FILENO) == 1;
    if (global.json) {
        rpc::Json line = {{"authorize_url", url}, {"login_id", id}, {"redirect_uri", started["redirect_uri"]}};
        std::printf("%s\n", line.dump().c_str());
    } else {
        const auto platform = parse_platform(string_field(started, "platform"));
        std::printf("Open this address in a browser to log in to %s (account %s):\n\n  %s\n\n",
                    platform ? std::string(platform_title(*platform)).c_str() : o.platform.c_str(),
                    string_field(started, "name").c_str(), url.c_str());
    }
    std::fflush(stdout);
    const bool browser = !o.no_browser && !o.paste && desktop_session();
    if (browser) open_browser(url);

    rpc::Json finish = {{"login_id", id}};
    // The connection waits as long as the login may; Ctrl-C leaves it to expire (a new login
    // replaces it).
    exit_on_interrupt(fmt::format("{}growthctl: interrupted; the login was abandoned, nothing was stored\n",
                                  terminal ? "\n" : ""));
    if (o.paste) {
        std::string pasted = read_pasted_line(terminal && ::isatty(STDIN_FILENO) == 1);
        finish["redirect_url"] = pasted;
        secrets::wipe(pasted.data(), pasted.size());
    } else if (terminal && !global.json) {
        std::fprintf(stderr, "%sWaiting for the browser to come back to %s (up to 10 minutes; Ctrl-C stops)...\n",
                     browser ? "Opened your browser. " : "", string_field(started, "redirect_uri").c_str());
        if (!browser) {
            std::fprintf(stderr, "(Open it in a browser on this machine; on another machine, use --paste.)\n");
        }
    }
    rpc::Json result;
    try {
        result = finish_choosing_page(*connection, finish, terminal && !global.json);
    } catch (...) {
        restore_interrupt();
        throw;
    }
    restore_interrupt();
    if (global.json) {
        std::printf("%s\n", result.dump().c_str());
        return;
    }
    const rpc::Json who = result.value("identity", rpc::Json::object());
    std::string as = string_field(who, "username").empty() ? string_field(who, "id") : "@" + string_field(who, "username");
    if (!string_field(who, "name").empty()) as += " (" + string_field(who, "name") + ")";
    std::string expiry;
    if (result.contains("token_expires_at") && result["token_expires_at"].is_number_integer()) {
        expiry = "; the token expires " + local_time(result["token_expires_at"].get<std::int64_t>());
    }
    std::printf("%s %s account %s, signed in as %s%s\n",
                result.value("replaced", false) ? "logged in again:" : "logged in: added", string_field(result, "platform").c_str(),
                string_field(result, "name").c_str(), as.c_str(), expiry.c_str());
}

}  // namespace

void add_login_command(CLI::App& account, const GlobalOptions& global, int& exit_code) {
    auto o = std::make_shared<LoginOptions>();
    auto* login = account.add_subcommand(
        "login", "Log in with the platform's own sign-in page (OAuth): adds the account, or gives an existing one "
                 "new tokens in place");
    login->fallthrough();
    login->add_option("PLATFORM", o->platform, "x, linkedin, facebook, instagram, threads, mastodon or bluesky")
        ->required();
    login->add_option("--name", o->name, "The account's name (default: the platform's name)");
    login->add_flag("--no-browser", o->no_browser, "Print the address only; do not open a browser");
    login->add_flag("--paste", o->paste,
                    "For a machine without a browser: open the address elsewhere, then paste the address the "
                    "browser was sent to (or the code) here");
    login->add_option("--api-base", o->api_base, "New account: the API base URL (default: the platform's)");
    login->add_option("--web-base", o->web_base, "New account: the public web host used in post URLs");
    login->add_option("--username", o->username, "New x account: the username (default: asked from X)");
    login->add_option("--author", o->author, "New linkedin account: urn:li:organization:ID (default: you)");
    login->add_option("--instance", o->instance, "New mastodon account: the instance, e.g. https://mastodon.social");
    login->add_option("--page", o->page,
                      "facebook, instagram: the Page to post as (its id, name or number in the list; asked "
                      "when you manage several)");
    login->add_option("--handle", o->handle, "New bluesky account: the handle, e.g. alice.bsky.social");
    login->add_option("--service", o->service, "New bluesky account: the PDS (default: https://bsky.social)");
    login->add_option("--app-password-file", o->app_password_file,
                      "bluesky: read the app password from FILE (default: asked without echo)");
    login->callback([&global, &exit_code, o] {
        run_login(global, *o);
        exit_code = 0;
    });
}

}  // namespace growth::cli
