// `growthctl preview`: shows how a text splits on each platform, offline (no daemon).
#include "cli/preview.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/text_input.hpp"
#include "core/config/config.hpp"
#include "core/error.hpp"
#include "core/paths.hpp"
#include "core/text/platform.hpp"
#include "core/text/post_bounds.hpp"
#include "core/text/splitter.hpp"

namespace growth::cli {

namespace {

using text::Platform;

struct PreviewOptions {
    std::vector<std::string> platforms;
    std::string numbering = "none";
    std::string mastodon_limit = "500";
    std::string file;
    std::string text;
    bool has_text = false;
    bool no_split = false;
    bool json = false;
};

// One platform's result, ready to print.
struct PlatformPreview {
    Platform platform;
    text::Limits limits;
    std::vector<text::Part> parts;
    bool no_split = false;
    bool valid = true;
};

std::vector<Platform> parse_platforms(const std::vector<std::string>& names) {
    if (names.empty()) {
        const auto all = text::all_platforms();
        return {all.begin(), all.end()};
    }
    std::vector<Platform> out;
    for (const auto& name : names) {
        // Accept "-p x,bluesky" as well as repeated -p.
        std::size_t start = 0;
        while (start <= name.size()) {
            std::size_t comma = name.find(',', start);
            if (comma == std::string::npos) comma = name.size();
            const std::string one = name.substr(start, comma - start);
            const auto p = text::parse_platform(one);
            if (!p) {
                const auto hint = text::suggest_platform(one);
                throw Error("usage", fmt::format("unknown platform \"{}\"{}; platforms: x, linkedin, facebook, "
                                                 "instagram, threads, mastodon, bluesky",
                                                 one, hint.empty() ? "" : fmt::format(" (did you mean \"{}\"?)", hint)));
            }
            if (std::find(out.begin(), out.end(), *p) == out.end()) out.push_back(*p);
            start = comma + 1;
        }
    }
    return out;
}

long parse_mastodon_limit(const std::string& s) {
    char* end = nullptr;
    errno = 0;
    const long v = std::strtol(s.c_str(), &end, 10);
    if (s.empty() || *end != '\0' || errno != 0 || v < 1 || v > 1000000)
        throw Error("usage", fmt::format("--mastodon-limit must be a whole number from 1 to 1000000, not \"{}\"", s));
    return v;
}

std::string unit_name(Platform p) {
    switch (p) {
        case Platform::x: return "weighted characters";
        case Platform::bluesky: return "graphemes";
        case Platform::linkedin:
        case Platform::facebook:
        case Platform::instagram: return "UTF-16 characters";
        default: return "characters";
    }
}

// --no-split counts the text as given, markers included, without its outer whitespace.
std::string trimmed(std::string_view s) {
    std::size_t a = 0, b = s.size();
    while (a < b && std::isspace(static_cast<unsigned char>(s[a]))) ++a;
    while (b > a && std::isspace(static_cast<unsigned char>(s[b - 1]))) --b;
    return std::string(s.substr(a, b - a));
}

PlatformPreview preview_one(Platform p, const std::string& input, const PreviewOptions& o, const text::SplitOptions& so) {
    PlatformPreview r{p, text::limits(p, so.rules), {}, o.no_split, true};
    if (!o.no_split) {
        try {
            r.parts = text::split_text(p, input, so);
        } catch (const Error& e) {
            if (e.kind() == "unsplittable" || e.kind() == "too_many_parts")
                throw Error(e.kind(), fmt::format("{}: {}", text::platform_name(p), e.what()));
            throw;
        }
        return r;
    }
    const std::string whole = trimmed(input);
    if (whole.empty()) throw Error("bad_input", "the text is empty");
    text::Part part;
    part.text = whole;
    part.source_end = whole.size();
    part.measure = text::measure(p, whole);
    r.valid = text::within(part.measure, r.limits) && part.measure.valid_chars;
    r.parts.push_back(std::move(part));
    return r;
}

void print_json(const std::vector<PlatformPreview>& previews) {
    nlohmann::ordered_json platforms = nlohmann::ordered_json::array();
    for (const auto& pv : previews) {
        nlohmann::ordered_json entry;
        entry["platform"] = text::platform_name(pv.platform);
        entry["limit"] = pv.limits.length;
        entry["continuation"] = text::continuation_name(text::continuation(pv.platform));
        if (pv.no_split) entry["valid"] = pv.valid;
        nlohmann::ordered_json parts = nlohmann::ordered_json::array();
        int index = 1;
        for (const auto& part : pv.parts) {
            nlohmann::ordered_json j;
            j["index"] = index++;
            j["text"] = part.text;
            j["length"] = part.measure.length;
            parts.push_back(std::move(j));
        }
        entry["parts"] = std::move(parts);
        platforms.push_back(std::move(entry));
    }
    nlohmann::ordered_json out;
    out["platforms"] = std::move(platforms);
    std::cout << out.dump() << "\n";
}

struct Style {
    bool on = false;
    std::string bold(const std::string& s) const { return on ? "\033[1m" + s + "\033[0m" : s; }
    std::string red(const std::string& s) const { return on ? "\033[1;31m" + s + "\033[0m" : s; }
    std::string dim(const std::string& s) const { return on ? "\033[2m" + s + "\033[0m" : s; }
};

Style terminal_style() {
    const char* no_color = std::getenv("NO_COLOR");
    return Style{isatty(STDOUT_FILENO) && !(no_color && *no_color)};
}

std::vector<std::string> overages(const text::Measure& m, const text::Limits& l) {
    std::vector<std::string> out;
    if (l.length && m.length > l.length) out.push_back(fmt::format("over the limit by {}", m.length - l.length));
    if (l.bytes && m.bytes > l.bytes) out.push_back(fmt::format("{} bytes, over {} by {}", m.bytes, l.bytes, m.bytes - l.bytes));
    if (l.hashtags && m.hashtags > l.hashtags) out.push_back(fmt::format("{} hashtags, over {}", m.hashtags, l.hashtags));
    if (l.mentions && m.mentions > l.mentions) out.push_back(fmt::format("{} mentions, over {}", m.mentions, l.mentions));
    if (l.links && m.links > l.links) out.push_back(fmt::format("{} links, over {}", m.links, l.links));
    if (!m.valid_chars) out.push_back("contains U+FFFE, U+FEFF or U+FFFF, which X refuses");
    return out;
}

void print_human(const std::vector<PlatformPreview>& previews) {
    const Style st = terminal_style();
    bool first = true;
    for (const auto& pv : previews) {
        if (!first) std::cout << "\n";
        first = false;
        const auto n = pv.parts.size();
        const bool reply = text::continuation(pv.platform) == text::Continuation::reply;
        std::string how = n == 1 ? "1 post" : fmt::format("{} parts, {}", n, reply ? "each a reply to the previous" : "the first a post, the rest comments on it");
        std::cout << st.bold(fmt::format("{}", text::platform_name(pv.platform))) << ": " << how << "; limit "
                  << pv.limits.length << " " << unit_name(pv.platform);
        if (pv.limits.bytes) std::cout << " and " << pv.limits.bytes << " bytes";
        std::cout << "\n";
        int index = 1;
        for (const auto& part : pv.parts) {
            const auto over = overages(part.measure, pv.limits);
            std::string count = fmt::format("{}/{}", part.measure.length, pv.limits.length);
            if (pv.limits.bytes) count += fmt::format(", {}/{} bytes", part.measure.bytes, pv.limits.bytes);
            const std::string kind = index == 1 ? "post" : (reply ? "reply" : "comment");
            std::string header = fmt::format("--- {}/{} {} ({})", index, n, kind, count);
            if (!over.empty()) {
                std::string why;
                for (const auto& o : over) why += (why.empty() ? "" : "; ") + o;
                std::cout << st.red(header + "  " + why) << "\n";
            } else {
                std::cout << st.dim(header) << "\n";
            }
            std::cout << part.text << "\n";
            ++index;
        }
    }
}

int run_preview(const PreviewOptions& o, bool json) {
    const auto platforms = parse_platforms(o.platforms);
    const auto numbering = text::parse_numbering(o.numbering);
    if (!numbering)
        throw Error("usage", fmt::format("unknown numbering \"{}\"; use none, 1/n, (1/n) or \"\U0001F9F5 1/n\"", o.numbering));
    text::SplitOptions so;
    so.numbering = *numbering;
    so.rules.mastodon_limit = parse_mastodon_limit(o.mastodon_limit);
    // The bounds growthd applies to post.publish ([limits] of the config file, else the defaults).
    const Config config = load_config(paths::config_file());
    const text::PostBounds bounds{config.max_post_bytes, config.max_parts};
    so.max_parts = bounds.max_parts;
    const std::string input = read_text_input(TextSource{o.file, o.text, o.has_text});
    text::require_post_size(input, bounds);
    std::vector<PlatformPreview> previews;
    for (const auto p : platforms) previews.push_back(preview_one(p, input, o, so));
    if (json) print_json(previews);
    else print_human(previews);
    return 0;
}

}  // namespace

void add_preview_command(CLI::App& app, const GlobalOptions& global, int& exit_code) {
    auto opts = std::make_shared<PreviewOptions>();
    auto* cmd = app.add_subcommand("preview", "Show how a text splits into parts on each platform (offline)");
    cmd->add_option("-p,--platform", opts->platforms,
                    "Platform to preview (x, linkedin, facebook, instagram, threads, mastodon, bluesky); "
                    "repeatable; default: all seven")
        ->allow_extra_args(false);
    cmd->add_option("--numbering", opts->numbering, "Number the parts: none, 1/n, (1/n) or \"\U0001F9F5 1/n\" (default none)");
    cmd->add_flag("--no-split", opts->no_split, "Count the whole text as one part and say whether it is valid");
    cmd->add_flag("--json", opts->json, "Print one JSON object for scripts");
    cmd->add_option("--mastodon-limit", opts->mastodon_limit, "Characters per Mastodon post on your instance (default 500)");
    cmd->add_option("-f,--file", opts->file, "Read the text from FILE ('-' for standard input)");
    cmd->add_option("text", opts->text, "The text; '-' reads standard input (also read when it is not a terminal)");
    cmd->callback([opts, &global, &exit_code, cmd] {
        opts->has_text = cmd->count("text") > 0;
        try {
            exit_code = run_preview(*opts, global.json || opts->json);
        } catch (const Error& e) {
            std::cerr << "growthctl: error: " << e.what() << "\n";
            exit_code = static_cast<int>(ExitCode::usage);
        } catch (const std::exception& e) {
            std::cerr << "growthctl: error: " << e.what() << "\n";
            exit_code = static_cast<int>(ExitCode::failed);
        }
    });
}

}  // namespace growth::cli
