// Throughput of growth's X counter and splitter on a corpus of UTF-8 posts (one JSON string per
// line, written by bench/text_bench.js). Prints one JSON object. Run bench/text_bench.py instead
// of this directly: it builds the corpus and runs twitter-text on the same one for comparison.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/text/splitter.hpp"
#include "core/text/x_count.hpp"

namespace {

using Clock = std::chrono::steady_clock;

template <class F>
double seconds_per_run(F&& f) {
    f();  // warm up (tables, buffers)
    int runs = 0;
    const auto start = Clock::now();
    double elapsed = 0;
    do {
        f();
        ++runs;
        elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    } while (elapsed < 2.0);
    return elapsed / runs;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: text_bench CORPUS.jsonl\n";
        return 2;
    }
    std::ifstream in(argv[1]);
    std::vector<std::string> posts;
    std::size_t bytes = 0;
    for (std::string line; std::getline(in, line);) {
        if (line.empty()) continue;
        posts.push_back(nlohmann::json::parse(line).get<std::string>());
        bytes += posts.back().size();
    }
    const double mb = static_cast<double>(bytes) / 1e6;

    long checksum = 0;
    for (const auto& p : posts) checksum += growth::text::x_length(p).weighted_length;
    long sink = 0;
    const double count_s = seconds_per_run([&] {
        for (const auto& p : posts) sink += growth::text::x_length(p).weighted_length;
    });

    std::string whole;
    for (const auto& p : posts) {
        whole += p;
        whole += "\n\n";
    }
    std::size_t parts = 0;
    growth::text::SplitOptions numbered;
    numbered.numbering = growth::text::Numbering::slash;
    const double split_x_s = seconds_per_run([&] { parts = growth::text::split_text(growth::text::Platform::x, whole, numbered).size(); });
    std::size_t bsky_parts = 0;
    const double split_bsky_s = seconds_per_run([&] { bsky_parts = growth::text::split_text(growth::text::Platform::bluesky, whole).size(); });

    nlohmann::json out = {{"bytes", bytes},
                          {"posts", posts.size()},
                          {"count_mb_s", mb / count_s},
                          {"split_x_mb_s", static_cast<double>(whole.size()) / 1e6 / split_x_s},
                          {"split_x_parts", parts},
                          {"split_bluesky_mb_s", static_cast<double>(whole.size()) / 1e6 / split_bsky_s},
                          {"split_bluesky_parts", bsky_parts},
                          {"checksum", checksum},
                          {"sink", sink}};
    std::cout << out.dump() << "\n";
    return 0;
}
