// Throughput of growth's counters and splitter on a corpus of UTF-8 posts (one JSON string per
// line, written by bench/text_bench.js). Prints one JSON object: X's x_length over the posts (for
// the twitter-text comparison), then per platform the count (measure() of each post) and the
// split of the whole corpus as one text, bare and numbered "k/n". Run bench/text_bench.py instead
// of this directly: it builds the corpora, runs twitter-text on the same ones and prints a table.
//   text_bench CORPUS.jsonl [PLATFORM]   (PLATFORM: only that platform's rows, e.g. for perf)
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/text/platform.hpp"
#include "core/text/splitter.hpp"
#include "core/text/x_count.hpp"

namespace {

using Clock = std::chrono::steady_clock;
namespace text = growth::text;

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
    } while (elapsed < 1.0);
    return elapsed / runs;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2 && argc != 3) {
        std::cerr << "usage: text_bench CORPUS.jsonl [PLATFORM]\n";
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
    std::vector<text::Platform> platforms;
    if (argc == 3) {
        const auto p = text::parse_platform(argv[2]);
        if (!p) {
            std::cerr << "text_bench: unknown platform " << argv[2] << "\n";
            return 2;
        }
        platforms.push_back(*p);
    } else {
        for (const auto p : text::all_platforms()) platforms.push_back(p);
    }

    long checksum = 0;
    for (const auto& p : posts) checksum += text::x_length(p).weighted_length;
    long sink = 0;
    const double x_count_s = argc == 3 ? 1.0 : seconds_per_run([&] {
        for (const auto& p : posts) sink += text::x_length(p).weighted_length;
    });

    std::string whole;
    for (const auto& p : posts) {
        whole += p;
        whole += "\n\n";
    }
    const double whole_mb = static_cast<double>(whole.size()) / 1e6;
    nlohmann::json rows = nlohmann::json::array();
    for (const auto platform : platforms) {
        const double count_s = seconds_per_run([&] {
            for (const auto& p : posts) sink += text::measure(platform, p).length;
        });
        std::size_t parts = 0, numbered_parts = 0;
        text::SplitOptions bare, numbered;
        numbered.numbering = text::Numbering::slash;
        const double split_s = seconds_per_run([&] { parts = text::split_text(platform, whole, bare).size(); });
        const double numbered_s = seconds_per_run([&] { numbered_parts = text::split_text(platform, whole, numbered).size(); });
        rows.push_back({{"platform", text::platform_name(platform)},
                        {"count_mb_s", mb / count_s},
                        {"split_mb_s", whole_mb / split_s},
                        {"split_parts", parts},
                        {"split_numbered_mb_s", whole_mb / numbered_s},
                        {"split_numbered_parts", numbered_parts}});
    }

    nlohmann::json out = {{"bytes", bytes},         {"posts", posts.size()}, {"count_mb_s", mb / x_count_s},
                          {"platforms", rows},      {"checksum", checksum},  {"sink", sink}};
    std::cout << out.dump() << "\n";
    return 0;
}
