#include "cli/post.hpp"

#include <fmt/format.h>
#include <spawn.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <thread>
#include <vector>

#include "cli/failure.hpp"
#include "cli/interrupt.hpp"
#include "cli/progress.hpp"
#include "cli/schedule.hpp"
#include "cli/session.hpp"
#include "cli/text_input.hpp"
#include "core/accounts/names.hpp"
#include "core/exit_code.hpp"

extern char** environ;

namespace growth::cli {

namespace {

/// How often a terminal's progress lines are refreshed (one post.show each).
constexpr std::chrono::milliseconds progress_interval{250};

struct PostOptions {
    std::vector<std::string> to;
    std::string numbering;
    std::string media_url;
    std::string file;
    std::string text;
    bool has_text = false;
    bool dry_run = false;
    bool no_wait = false;
    bool open = false;
    bool json = false;
    WhenOptions when;  ///< --at and its companions: scheduled instead of published now
};

void open_url(const std::string& url) {
    // Detached: the browser must not hold up growthctl.
    const char* argv[] = {"xdg-open", url.c_str(), nullptr};
    pid_t pid = 0;
    if (posix_spawnp(&pid, "xdg-open", nullptr, nullptr, const_cast<char* const*>(argv), environ) != 0) {
        std::fprintf(stderr, "growthctl: warning: cannot run xdg-open to open %s\n", url.c_str());
    }
}

std::string first_url(const rpc::Json& post) {
    for (const auto& t : post.value("targets", rpc::Json::array())) {
        for (const auto& p : t.value("parts", rpc::Json::array())) {
            if (p.contains("url") && p["url"].is_string()) return p["url"].get<std::string>();
        }
    }
    return {};
}

/// True when a part of `t` waits in needs_auth for the vault (kind vault_locked) and, with
/// `locked` false, for another reason (a new login).
bool waits_for(const rpc::Json& t, bool locked) {
    for (const auto& p : t.value("parts", rpc::Json::array())) {
        if (string_field(p, "state") != "needs_auth") continue;
        const bool vault = string_field(p.value("error", rpc::Json::object()), "kind") == "vault_locked";
        if (vault == locked) return true;
    }
    return false;
}

bool vault_locked(const rpc::Json& post) {
    for (const auto& t : post.value("targets", rpc::Json::array())) {
        if (waits_for(t, true)) return true;
    }
    return false;
}

/// The commands that give each account with a part in needs_auth (not for the vault) a new
/// secret, joined by " and " (core/accounts/names.hpp new_login_command).
std::string account_updates(const rpc::Json& post) {
    std::string out;
    for (const auto& t : post.value("targets", rpc::Json::array())) {
        if (!waits_for(t, false)) continue;
        const auto platform = parse_platform(string_field(t, "platform"));
        out += fmt::format("{}{}", out.empty() ? "" : " and ",
                           accounts::new_login_command(platform.value_or(Platform::x), string_field(t, "account")));
    }
    return out;
}

/// Prints `post` and returns its exit code; a non-zero one also gets one error line.
int report(const rpc::Json& post, bool json, const std::string& verb) {
    if (json) std::printf("%s\n", post.dump().c_str());
    else std::fputs(format_post(post).c_str(), stdout);
    const ExitCode code = exit_code_for_post(post);
    if (code == ExitCode::ok) return 0;
    const std::string id = string_field(post, "id");
    int open_targets = 0, total = 0;
    for (const auto& t : post.value("targets", rpc::Json::array())) {
        ++total;
        if (string_field(t, "state") != "published") ++open_targets;
    }
    std::string why;
    const bool locked = vault_locked(post);
    const std::string logins = code == ExitCode::needs_login ? account_updates(post) : std::string();
    switch (code) {
        case ExitCode::unknown: why = "the outcome of a part is unknown; look at the account, then settle it"; break;
        case ExitCode::needs_login:
            why = locked ? (logins.empty() ? "the vault is locked" : "the vault is locked and an account needs a new login")
                         : "an account needs a new login";
            break;
        default: break;
    }
    std::fprintf(stderr, "growthctl: error: post %s: %d of %d target%s not published%s%s\n", id.c_str(),
                 open_targets, total, total == 1 ? "" : "s", why.empty() ? "" : "; ", why.c_str());
    if (code == ExitCode::needs_login && logins.empty()) {
        std::fprintf(stderr, "hint: growthctl unlock opens it, and the post goes out by itself\n");
    } else if (code == ExitCode::needs_login) {
        std::fprintf(stderr, "hint: %s%s, then growthctl retry %s continues it\n", locked ? "growthctl unlock, " : "",
                     logins.c_str(), id.c_str());
    } else if (code == ExitCode::unknown) {
        std::fprintf(stderr, "hint: growthctl show %s prints the growthctl resolve command for each unknown part; "
                             "growthctl retry %s continues after it\n", id.c_str(), id.c_str());
    } else if (code != ExitCode::failed || verb == "post") {
        std::fprintf(stderr, "hint: growthctl show %s for details; growthctl retry %s continues it\n",
                     id.c_str(), id.c_str());
    }
    return static_cast<int>(code);
}

/// Waits for the post `recorded` (post.publish's answer with wait=false) to settle and returns
/// post.show's result. The id comes first on a terminal (stderr), then each target's progress
/// while it goes out; Ctrl-C says that growthd goes on and how to follow it, and exits 130.
rpc::Json wait_settled(DaemonConnection& connection, const rpc::Json& recorded) {
    const std::string id = string_field(recorded, "id");
    const bool terminal = ::isatty(STDERR_FILENO) == 1;
    if (terminal) {
        const std::size_t n = recorded.value("targets", rpc::Json::array()).size();
        std::fprintf(stderr, "post %s: publishing to %zu account%s (Ctrl-C leaves it to growthd)\n",
                     id.c_str(), n, n == 1 ? "" : "s");
        std::fflush(stderr);
    }
    exit_on_interrupt(fmt::format("{}growthctl: interrupted; post {} goes on publishing in growthd\n"
                                  "hint: growthctl show {} tells how it went\n",
                                  terminal ? "\n" : "", id, id));
    try {
        rpc::Json view;
        if (!can_draw_progress(STDERR_FILENO)) {
            // Nobody watches a progress line: one deferred call, answered when the post settles.
            view = connection.call("post.wait", rpc::Json{{"id", id}});
        } else {
            ProgressDisplay display(stderr, STDERR_FILENO);
            view = recorded;
            while (string_field(view, "state") == "sending") {
                display.draw(progress_lines(view));
                std::this_thread::sleep_for(progress_interval);
                view = connection.call("post.show", rpc::Json{{"id", id}});
            }
            display.clear();
        }
        restore_interrupt();
        return view;
    } catch (const Failure& f) {
        restore_interrupt();
        if (f.code() != ExitCode::unreachable) throw;
        throw Failure(f.code(), f.kind(), f.what(),
                      fmt::format("post {} was recorded: growthctl show {} tells how it went once growthd "
                                  "runs again; growthctl retry {} continues it",
                                  id, id, id));
    }
}

int run_post(const PostOptions& o, const GlobalOptions& global) {
    rpc::Json params = rpc::Json::object();
    params["text"] = read_text_input(TextSource{o.file, o.text, o.has_text});
    if (!o.to.empty()) params["to"] = o.to;
    if (!o.numbering.empty()) params["numbering"] = o.numbering;
    if (!o.media_url.empty()) params["media_url"] = o.media_url;
    if (o.dry_run) params["dry_run"] = true;
    // The id comes back as soon as the post is recorded; the wait follows (unless --no-wait).
    const bool json = global.json || o.json;
    if (o.when.given()) {
        // A post for later: checked and stored now, published by growthd at its time.
        if (o.open) throw Failure(ExitCode::usage, "bad_input", "--open needs the post published now; drop --open or --at");
        o.when.add_to(params);
        auto connection = connect_daemon(global);
        const rpc::Json result = connection->call("post.schedule", params);
        if (!o.dry_run) return report_scheduled(result, json);
        if (json) std::printf("%s\n", result.dump().c_str());
        else std::fputs((format_dry_run(result) + "due " + describe_due(result) + "\n").c_str(), stdout);
        return 0;
    }
    if (!o.dry_run) params["wait"] = false;
    auto connection = connect_daemon(global);
    const rpc::Json result = connection->call("post.publish", params);
    if (o.dry_run) {
        if (json) std::printf("%s\n", result.dump().c_str());
        else std::fputs(format_dry_run(result).c_str(), stdout);
        return 0;
    }
    if (o.no_wait) {
        if (json) std::printf("%s\n", result.dump().c_str());
        else std::printf("post %s is being published; growthctl show %s tells how it went\n",
                         string_field(result, "id").c_str(), string_field(result, "id").c_str());
        return 0;
    }
    const rpc::Json settled = wait_settled(*connection, result);
    const int code = report(settled, json, "post");
    if (o.open) {
        const std::string url = first_url(settled);
        if (!url.empty()) open_url(url);
    }
    return code;
}

}  // namespace

std::string format_post(const rpc::Json& post) {
    std::string out = fmt::format("post {}: {}\n", string_field(post, "id"), string_field(post, "state"));
    if (post.contains("due")) out += "  due " + describe_due(post) + "\n";
    for (const auto& t : post.value("targets", rpc::Json::array())) {
        const auto parts = t.value("parts", rpc::Json::array());
        out += fmt::format("  {} ({}): {}, {} part{}\n", string_field(t, "account"), string_field(t, "platform"),
                           string_field(t, "state"), parts.size(), parts.size() == 1 ? "" : "s");
        for (const auto& p : parts) {
            const int index = p.value("index", 0);
            const std::string state = string_field(p, "state");
            if (state == "published") {
                out += fmt::format("    {:>2}  {}\n", index, string_field(p, "url").empty() ? string_field(p, "remote_id") : string_field(p, "url"));
                continue;
            }
            std::string line = fmt::format("    {:>2}  {}", index, state);
            if (p.contains("error") && p["error"].is_object()) {
                line += ": " + string_field(p["error"], "message");
            }
            if (p.contains("next_attempt_at")) line += " (next attempt after " + string_field(p, "next_attempt_at") + ")";
            out += line + "\n";
            if (p.contains("resolve")) out += "        settle it: " + string_field(p, "resolve") + "\n";
        }
    }
    return out;
}

std::string format_dry_run(const rpc::Json& plan) {
    std::string out = "dry run: nothing is stored or sent\n";
    for (const auto& t : plan.value("targets", rpc::Json::array())) {
        const auto parts = t.value("parts", rpc::Json::array());
        out += fmt::format("\n{} ({}): {} part{}\n", string_field(t, "account"), string_field(t, "platform"), parts.size(),
                           parts.size() == 1 ? "" : "s");
        for (const auto& p : parts) {
            out += fmt::format("--- part {} ({} counted)\n{}\n", p.value("index", 0),
                               p.value("length", 0L), string_field(p, "text"));
        }
    }
    return out;
}

void add_post_commands(CLI::App& app, const GlobalOptions& global, int& exit_code) {
    // `post` publishes now (or at --at); `schedule` is the same with --at required.
    for (const bool scheduling : {false, true}) {
        auto o = std::make_shared<PostOptions>();
        auto* post = scheduling ? app.add_subcommand("schedule", "Publish a text later, at --at, to your accounts")
                                : app.add_subcommand("post", "Publish a text now (or at --at) to your accounts, each as a thread");
        post->add_option("--to", o->to, "Account name, or platform name for its only account; repeatable; "
                                        "default: every account")
            ->allow_extra_args(false);
        post->add_option("--numbering", o->numbering, "Number the parts: none, 1/n, (1/n) or \"\U0001F9F5 1/n\"");
        post->add_option("--media-url", o->media_url, "A public image URL (Instagram requires one)");
        add_when_options(post, o->when, false, true);
        post->add_flag("--dry-run", o->dry_run, "Show what would be sent; store and send nothing");
        if (!scheduling) {
            post->add_flag("--no-wait", o->no_wait, "Return once the post is recorded; publishing goes on in growthd");
            post->add_flag("--open", o->open, "Open the first published URL in the browser");
        }
        post->add_flag("--json", o->json, "Print one JSON object for scripts");
        post->add_option("-f,--file", o->file, "Read the text from FILE ('-' for standard input)");
        post->add_option("text", o->text, "The text; '-' reads standard input");
        post->callback([o, &global, &exit_code, post, scheduling] {
            o->has_text = post->count("text") > 0;
            if (scheduling && !o->when.given()) {
                throw Failure(ExitCode::usage, "usage", "schedule needs --at WHEN or --every CALENDAR");
            }
            exit_code = run_post(*o, global);
        });
    }

    auto show_id = std::make_shared<std::string>();
    auto show_json = std::make_shared<bool>(false);
    auto* show = app.add_subcommand("show", "Show a post: each target's state and URLs, or why not");
    show->add_option("id", *show_id, "The post id")->required();
    show->add_flag("--json", *show_json, "Print one JSON object for scripts");
    show->callback([show_id, show_json, &global, &exit_code] {
        auto connection = connect_daemon(global);
        const rpc::Json result = connection->call("post.show", rpc::Json{{"id", *show_id}});
        exit_code = report(result, global.json || *show_json, "show");
    });

    struct RetryOptions {
        std::string id;
        bool json = false;
        bool no_wait = false;
    };
    auto r = std::make_shared<RetryOptions>();
    auto* retry = app.add_subcommand("retry", "Continue a post's unfinished targets from their first "
                                              "unpublished part (never re-sends a published one)");
    retry->add_option("id", r->id, "The post id")->required();
    retry->add_flag("--no-wait", r->no_wait, "Return once the targets are started; publishing goes on in growthd");
    retry->add_flag("--json", r->json, "Print one JSON object for scripts");
    retry->callback([r, &global, &exit_code] {
        auto connection = connect_daemon(global);
        // Started at once, then followed like `post`: progress on a terminal, Ctrl-C leaves it to growthd.
        const rpc::Json started = connection->call("post.retry", rpc::Json{{"id", r->id}, {"wait", false}});
        const bool json = global.json || r->json;
        if (r->no_wait) {
            if (json) std::printf("%s\n", started.dump().c_str());
            else std::printf("post %s: %s; growthctl show %s tells how it went\n", string_field(started, "id").c_str(),
                             string_field(started, "state") == "sending" ? "being published" : string_field(started, "state").c_str(),
                             string_field(started, "id").c_str());
            return;
        }
        exit_code = report(wait_settled(*connection, started), json, "retry");
    });
}

}  // namespace growth::cli
