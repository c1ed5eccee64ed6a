#include "cli/resolve.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <memory>

#include "cli/failure.hpp"
#include "cli/post.hpp"
#include "cli/session.hpp"

namespace growth::cli {

namespace {

struct ResolveOptions {
    std::string id;
    std::string account;
    int part = 0;
    std::string published;
    bool not_published = false;
    bool json = false;
};

int run_resolve(const ResolveOptions& o, const GlobalOptions& global, bool has_published) {
    if (!has_published && !o.not_published) {
        throw Failure(ExitCode::usage, "usage",
                      "say what you found: --published URL_OR_ID or --not-published");
    }
    rpc::Json params = rpc::Json::object();
    params["id"] = o.id;
    params["account"] = o.account;
    params["part"] = o.part;
    if (has_published) params["published"] = o.published;
    else params["not_published"] = true;
    auto connection = connect_daemon(global);
    const rpc::Json result = connection->call("post.resolve", params);
    if (global.json || o.json) {
        std::printf("%s\n", result.dump().c_str());
        return 0;
    }
    std::printf("post %s: part %d on %s recorded as %s\n", o.id.c_str(), o.part, o.account.c_str(),
                has_published ? "published" : "not published");
    std::fputs(format_post(result).c_str(), stdout);
    if (exit_code_for_post(result) != ExitCode::ok) {
        std::printf("growthctl retry %s continues it\n", o.id.c_str());
    }
    return 0;
}

}  // namespace

void add_resolve_command(CLI::App& app, const GlobalOptions& global, int& exit_code) {
    auto o = std::make_shared<ResolveOptions>();
    auto* sub = app.add_subcommand(
        "resolve", "Record what you found for a part whose outcome is unknown, so retry can go on");
    sub->add_option("id", o->id, "The post id")->required();
    sub->add_option("--account", o->account, "The account the part was sent to")->required();
    sub->add_option("--part", o->part, "The part number (1 = the first)")->required();
    auto* published = sub->add_option("--published", o->published,
                                      "It was published: its URL (or id) on the platform");
    auto* not_published =
        sub->add_flag("--not-published", o->not_published, "It was not published: send it again");
    published->excludes(not_published);
    sub->add_flag("--json", o->json, "Print one JSON object for scripts");
    sub->callback([o, &global, &exit_code, published] {
        exit_code = run_resolve(*o, global, published->count() > 0);
    });
}

}  // namespace growth::cli
