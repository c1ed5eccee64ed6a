#include "cli/account.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <memory>
#include <optional>

#include <fmt/format.h>

#include "cli/failure.hpp"
#include "cli/login.hpp"
#include "cli/session.hpp"
#include "core/secrets/secret_bytes.hpp"

namespace growth::cli {

namespace {

/// Options of `account add`. Strings stay empty when not given.
struct AddOptions {
    std::string platform, name, api_base, web_base, token_file, app_password_file;
    bool token_stdin = false;
    bool no_check = false;
    std::string username, author, page_id, ig_user_id, user_id, instance, handle, service;
    std::optional<long long> max_characters;
};

std::string text_of(const rpc::Json& j, const char* key) {
    if (!j.is_object() || !j.contains(key) || j[key].is_null()) return "";
    const auto& v = j[key];
    return v.is_string() ? v.get<std::string>() : v.dump();
}

/// The kinds that mean "you named something that is not there / already there": bad input (2).
rpc::Json call(const GlobalOptions& global, const std::string& method, const rpc::Json& params) {
    try {
        auto connection = connect_daemon(global);
        return connection->call(method, params);
    } catch (const Failure& f) {
        if (f.kind() == "account_exists" || f.kind() == "account_not_found" ||
            f.kind() == "account_ambiguous") {
            throw Failure(ExitCode::usage, f.kind(), f.what(), f.hint());
        }
        throw;
    }
}

void strip_line_end(std::string& s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
}

// A short description of the account's identity settings, for the list.
std::string detail(const rpc::Json& a) {
    const rpc::Json s = a.value("settings", rpc::Json::object());
    std::string out;
    for (const char* key : {"username", "author", "page_id", "ig_user_id", "user_id", "handle",
                            "max_characters"}) {
        if (s.contains(key)) out += fmt::format("{}{}={}", out.empty() ? "" : " ", key, text_of(s, key));
    }
    return out;
}

void print(const GlobalOptions& global, const rpc::Json& result, const std::string& human) {
    if (global.json) {
        std::printf("%s\n", result.dump().c_str());
    } else {
        std::fputs(human.c_str(), stdout);
    }
}

void run_add(const GlobalOptions& global, AddOptions& o) {
    rpc::Json params = rpc::Json::object();
    params["platform"] = o.platform;
    params["name"] = o.name;
    const auto set = [&](const char* key, const std::string& v) {
        if (!v.empty()) params[key] = v;
    };
    set("api_base", o.api_base);
    set("web_base", o.web_base);
    set("username", o.username);
    set("author", o.author);
    set("page_id", o.page_id);
    set("ig_user_id", o.ig_user_id);
    set("user_id", o.user_id);
    set("instance", o.instance);
    set("handle", o.handle);
    set("service", o.service);
    if (o.max_characters) params["max_characters"] = *o.max_characters;
    if (o.no_check) params["no_check"] = true;
    std::string secret;
    if (!o.token_file.empty()) secret = read_secret_file(o.token_file, "--token-file");
    if (o.token_stdin) secret = read_secret_fd(::dup(STDIN_FILENO), "--token-stdin");
    if (!o.token_file.empty() || o.token_stdin) params["token"] = secret;
    if (!o.app_password_file.empty()) {
        params["app_password"] = read_secret_file(o.app_password_file, "--app-password-file");
    }
    secrets::wipe(secret.data(), secret.size());
    // The request carries the secret: never trace it (-v), whatever else is traced.
    GlobalOptions quiet = global;
    quiet.verbose = 0;
    rpc::Json result;
    try {
        result = call(quiet, "account.add", params);
    } catch (...) {
        for (const char* key : {"token", "app_password"}) {
            if (params.contains(key)) {
                auto& s = params[key].get_ref<std::string&>();
                secrets::wipe(s.data(), s.size());
            }
        }
        throw;
    }
    for (const char* key : {"token", "app_password"}) {
        if (params.contains(key)) {
            auto& s = params[key].get_ref<std::string&>();
            secrets::wipe(s.data(), s.size());
        }
    }
    print(global, result,
          fmt::format("added {} account {}\n", text_of(result, "platform"), text_of(result, "name")));
}

/// Options of `account update`.
struct UpdateOptions {
    std::string name, token_file, app_password_file;
    bool token_stdin = false;
};

void wipe_secrets(rpc::Json& params) {
    for (const char* key : {"token", "app_password"}) {
        if (params.contains(key) && params[key].is_string()) {
            auto& s = params[key].get_ref<std::string&>();
            secrets::wipe(s.data(), s.size());
        }
    }
}

void run_update(const GlobalOptions& global, const UpdateOptions& o) {
    rpc::Json params = rpc::Json::object();
    params["name"] = o.name;
    if (!o.token_file.empty()) params["token"] = read_secret_file(o.token_file, "--token-file");
    if (o.token_stdin) params["token"] = read_secret_fd(::dup(STDIN_FILENO), "--token-stdin");
    if (!o.app_password_file.empty()) {
        params["app_password"] = read_secret_file(o.app_password_file, "--app-password-file");
    }
    // The request carries the secret: never trace it (-v).
    GlobalOptions quiet = global;
    quiet.verbose = 0;
    rpc::Json result;
    try {
        result = call(quiet, "account.update", params);
    } catch (...) {
        wipe_secrets(params);
        throw;
    }
    wipe_secrets(params);
    const rpc::Json id = result.value("identity", rpc::Json::object());
    std::string who = text_of(id, "username").empty() ? text_of(id, "id") : text_of(id, "username");
    if (!text_of(id, "name").empty()) who += " (" + text_of(id, "name") + ")";
    const bool bluesky = text_of(result, "platform") == "bluesky";
    print(global, result,
          fmt::format("updated {} account {}: new {} stored, signed in as {}\n", text_of(result, "platform"),
                      text_of(result, "name"), bluesky ? "app password" : "token", who));
}

}  // namespace

std::string read_secret_file(const std::string& path, const std::string& flag) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        throw Failure(ExitCode::usage, "bad_input",
                      fmt::format("cannot read {} {}: {}", flag, path, std::strerror(errno)));
    }
    return read_secret_fd(fd, flag + " " + path);
}

std::string read_secret_fd(int fd, const std::string& what) {
    // Plain POSIX reads: a directory or a device is refused with its own errno text, and an
    // endless input (a typo like /dev/zero) stops at the size limit. Closes fd.
    constexpr std::size_t limit = 65536;
    const auto fail = [&](const std::string& why) -> Failure {
        return Failure(ExitCode::usage, "bad_input", fmt::format("cannot read {}: {}", what, why));
    };
    std::string s;
    char buffer[4096];
    for (;;) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            const int e = errno;
            ::close(fd);
            secrets::wipe(s.data(), s.size());
            throw fail(std::strerror(e));
        }
        if (n == 0) break;
        s.append(buffer, static_cast<std::size_t>(n));
        if (s.size() > limit) {
            ::close(fd);
            secrets::wipe(s.data(), s.size());
            secrets::wipe(buffer, sizeof buffer);
            throw fail(fmt::format("larger than {} bytes; is it the right file?", limit));
        }
    }
    ::close(fd);
    secrets::wipe(buffer, sizeof buffer);
    strip_line_end(s);
    return s;
}

static std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string local_time(std::int64_t unix_ms) {
    const std::time_t t = static_cast<std::time_t>(unix_ms / 1000);
    std::tm tm{};
    ::localtime_r(&t, &tm);
    char buffer[64];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%d %H:%M %Z", &tm);
    return buffer;
}

std::string format_account_list(const rpc::Json& result) {
    const rpc::Json accounts = result.value("accounts", rpc::Json::array());
    if (accounts.empty()) {
        return "no accounts; add one with: growthctl account add PLATFORM --name NAME "
               "--token-file FILE\n";
    }
    std::size_t w_name = 4, w_platform = 8;
    for (const auto& a : accounts) {
        w_name = std::max(w_name, text_of(a, "name").size());
        w_platform = std::max(w_platform, text_of(a, "platform").size());
    }
    std::string out = fmt::format("{:<{}}  {:<{}}  {}\n", "NAME", w_name, "PLATFORM", w_platform, "DETAILS");
    for (const auto& a : accounts) {
        std::string d = detail(a);
        const std::string base = text_of(a, "api_base");
        if (!base.empty()) d += (d.empty() ? "" : " ") + std::string("api=") + base;
        if (a.contains("token_expires_at") && a["token_expires_at"].is_number_integer()) {
            const std::int64_t at = a["token_expires_at"].get<std::int64_t>();
            d += (d.empty() ? "" : " ") + std::string(at < now_ms() ? "token expired " : "token expires ") +
                 local_time(at);
        }
        out += fmt::format("{:<{}}  {:<{}}  {}\n", text_of(a, "name"), w_name,
                           text_of(a, "platform"), w_platform, d);
    }
    return out;
}

std::string format_account(const rpc::Json& a) {
    std::string out;
    out += fmt::format("name:      {}\n", text_of(a, "name"));
    out += fmt::format("platform:  {}\n", text_of(a, "platform"));
    const std::string base = text_of(a, "api_base");
    out += fmt::format("api base:  {}\n", base.empty() ? "(platform default)" : base);
    const rpc::Json s = a.value("settings", rpc::Json::object());
    for (const auto& [key, value] : s.items()) {
        out += fmt::format("{:<10} {}\n", key + ":", value.is_string() ? value.get<std::string>() : value.dump());
    }
    std::string fields;
    for (const auto& f : a.value("secrets", rpc::Json::array())) {
        fields += (fields.empty() ? "" : ", ") + f.get<std::string>();
    }
    out += fmt::format("secrets:   {}\n", fields.empty() ? "none (needs a new login)" : fields + " (stored, encrypted)");
    if (a.contains("token_expires_at") && a["token_expires_at"].is_number_integer()) {
        out += fmt::format("token:     expires {}\n", local_time(a["token_expires_at"].get<std::int64_t>()));
    }
    return out;
}

void add_account_command(CLI::App& app, const GlobalOptions& global, int& exit_code) {
    auto* account = app.add_subcommand("account", "Add, log in, list, show, update, refresh, remove and test accounts");
    account->require_subcommand(1);
    account->fallthrough();

    auto o = std::make_shared<AddOptions>();
    auto* add = account->add_subcommand("add", "Add an account with an existing token");
    add->fallthrough();
    add->add_option("PLATFORM", o->platform,
                    "x, linkedin, facebook, instagram, threads, mastodon or bluesky")
        ->required();
    add->add_option("--name", o->name, "The account's name (a-z 0-9 . _ -)")->required();
    add->add_option("--api-base", o->api_base, "The API base URL (default: the platform's)");
    add->add_option("--web-base", o->web_base, "The public web host used in post URLs");
    auto* token_file = add->add_option("--token-file", o->token_file, "Read the access token from FILE");
    auto* token_stdin = add->add_flag("--token-stdin", o->token_stdin, "Read the access token from stdin");
    token_file->excludes(token_stdin);
    add->add_option("--username", o->username, "x: the username (for post URLs)");
    add->add_option("--author", o->author, "linkedin: urn:li:person:ID or urn:li:organization:ID");
    add->add_option("--page-id", o->page_id, "facebook: the Page id");
    add->add_option("--ig-user-id", o->ig_user_id, "instagram: the IG user id");
    add->add_option("--user-id", o->user_id, "threads: the Threads user id (default: me)");
    add->add_option("--instance", o->instance, "mastodon: the instance URL");
    add->add_option("--max-characters", o->max_characters, "mastodon: the instance's post length limit");
    add->add_option("--handle", o->handle, "bluesky: the handle");
    add->add_option("--app-password-file", o->app_password_file, "bluesky: read the app password from FILE");
    add->add_option("--service", o->service, "bluesky: the PDS URL (default https://bsky.social)");
    add->add_flag("--no-check", o->no_check,
                  "Store without asking the platform who the token belongs to (it is checked by default)");
    add->callback([&global, &exit_code, o] {
        run_add(global, *o);
        exit_code = 0;
    });

    add_login_command(*account, global, exit_code);

    auto u = std::make_shared<UpdateOptions>();
    auto* update = account->add_subcommand(
        "update", "Give an account a new token (or Bluesky app password) in place; its posts keep it");
    update->fallthrough();
    update->add_option("NAME", u->name, "The account's name")->required();
    auto* u_file = update->add_option("--token-file", u->token_file, "Read the new access token from FILE");
    auto* u_stdin = update->add_flag("--token-stdin", u->token_stdin, "Read the new access token from stdin");
    auto* u_password = update->add_option("--app-password-file", u->app_password_file,
                                          "bluesky: read the new app password from FILE");
    u_file->excludes(u_stdin)->excludes(u_password);
    u_stdin->excludes(u_password);
    update->callback([&global, &exit_code, u] {
        if (u->token_file.empty() && !u->token_stdin && u->app_password_file.empty()) {
            throw Failure(ExitCode::usage, "usage",
                          "account update needs the new secret: --token-file FILE, --token-stdin or "
                          "--app-password-file FILE (bluesky)");
        }
        run_update(global, *u);
        exit_code = 0;
    });

    auto* list = account->add_subcommand("list", "List the accounts");
    list->fallthrough();
    list->callback([&global, &exit_code] {
        const rpc::Json result = call(global, "account.list", rpc::Json::object());
        print(global, result, format_account_list(result));
        exit_code = 0;
    });

    auto name = std::make_shared<std::string>();
    const auto named = [&](const char* verb, const char* summary) {
        auto* sub = account->add_subcommand(verb, summary);
        sub->fallthrough();
        sub->add_option("NAME", *name, "The account's name")->required();
        return sub;
    };
    named("show", "Show one account (never its secrets)")->callback([&global, &exit_code, name] {
        const rpc::Json result = call(global, "account.show", rpc::Json{{"name", *name}});
        print(global, result, format_account(result));
        exit_code = 0;
    });
    named("refresh", "Refresh a logged-in account's token now (growthd does it by itself before it expires)")
        ->callback([&global, &exit_code, name] {
            GlobalOptions quiet = global;  // the answer is about a secret: never trace it
            quiet.verbose = 0;
            const rpc::Json result = call(quiet, "account.refresh", rpc::Json{{"name", *name}});
            std::string expiry;
            if (result.contains("token_expires_at") && result["token_expires_at"].is_number_integer()) {
                expiry = ", valid until " + local_time(result["token_expires_at"].get<std::int64_t>());
            }
            print(global, result, fmt::format("refreshed the token of {} account {}{}\n", text_of(result, "platform"),
                                              text_of(result, "name"), expiry));
            exit_code = 0;
        });
    named("remove", "Remove an account and its secrets")->callback([&global, &exit_code, name] {
        const rpc::Json result = call(global, "account.remove", rpc::Json{{"name", *name}});
        const rpc::Json removed = result.value("removed", rpc::Json::object());
        print(global, result,
              fmt::format("removed {} account {}\n", text_of(removed, "platform"), text_of(removed, "name")));
        exit_code = 0;
    });
    named("test", "Ask the platform who the account's token belongs to")
        ->callback([&global, &exit_code, name] {
            const rpc::Json result = call(global, "account.test", rpc::Json{{"name", *name}});
            const rpc::Json id = result.value("identity", rpc::Json::object());
            std::string who = text_of(id, "username").empty() ? text_of(id, "id") : text_of(id, "username");
            if (!text_of(id, "name").empty()) who += " (" + text_of(id, "name") + ")";
            print(global, result,
                  fmt::format("{} ({}): ok, signed in as {}, id {}\n", text_of(result, "name"),
                              text_of(result, "platform"), who, text_of(id, "id")));
            exit_code = 0;
        });
}

}  // namespace growth::cli
