// growthctl post's progress on a terminal: the line per target, and the redraw in place.
#include <doctest/doctest.h>

#include <cstdio>
#include <string>

#include "cli/post.hpp"
#include "cli/progress.hpp"

using growth::rpc::Json;
namespace cli = growth::cli;

namespace {

Json post_view() {
    return Json::parse(R"({"id":"P1","state":"sending","targets":[
        {"account":"work-x","platform":"x","state":"sending","parts":[
            {"index":1,"state":"published"},{"index":2,"state":"published"},{"index":3,"state":"sending"},
            {"index":4,"state":"prepared"}]},
        {"account":"bsky","platform":"bluesky","state":"published","parts":[
            {"index":1,"state":"published"},{"index":2,"state":"published"}]},
        {"account":"masto","platform":"mastodon","state":"retry_wait","parts":[
            {"index":1,"state":"retry_wait"},{"index":2,"state":"prepared"}]}]})");
}

std::string read_all(std::FILE* f) {
    std::rewind(f);
    std::string out;
    char buffer[512];
    std::size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, f)) > 0) out.append(buffer, n);
    return out;
}

}  // namespace

TEST_CASE("progress: one line per target, parts done of total and what it does now") {
    CHECK(cli::progress_lines(post_view()) == std::vector<std::string>{
                                                  "  work-x (x): 2/4 published, sending part 3",
                                                  "  bsky (bluesky): 2/2 published",
                                                  "  masto (mastodon): 0/2 published, retry_wait",
                                              });
    CHECK(cli::progress_lines(Json::object()).empty());
}

TEST_CASE("progress: redrawn in place, only when it changed, and erased at the end") {
    std::FILE* f = std::tmpfile();
    REQUIRE(f != nullptr);
    {
        cli::ProgressDisplay d(f, -1);  // not a terminal: no width, lines are not cut
        d.draw({"  a (x): 0/2 published, sending part 1", "  b (bluesky): 0/1 published, sending part 1"});
        d.draw({"  a (x): 0/2 published, sending part 1", "  b (bluesky): 0/1 published, sending part 1"});
        d.draw({"  a (x): 1/2 published, sending part 2", "  b (bluesky): 1/1 published"});
        d.clear();
        d.clear();
    }
    CHECK(read_all(f) ==
          "\r\033[K  a (x): 0/2 published, sending part 1\n"
          "\r\033[K  b (bluesky): 0/1 published, sending part 1\n"
          "\033[2A"
          "\r\033[K  a (x): 1/2 published, sending part 2\n"
          "\r\033[K  b (bluesky): 1/1 published\n"
          "\033[2A\r\033[J");
    std::fclose(f);
}

TEST_CASE("progress: nothing is drawn on a file, a pipe or TERM=dumb") {
    std::FILE* f = std::tmpfile();
    REQUIRE(f != nullptr);
    CHECK_FALSE(cli::can_draw_progress(fileno(f)));
    std::fclose(f);
}
