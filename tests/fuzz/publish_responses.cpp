// libFuzzer target: arbitrary statuses, headers and bodies (and lost responses) fed to every
// platform's publisher and who-am-I machine. Checks that each run ends in a classified outcome
// within a bounded number of requests, never crashes or throws, and never leaks a secret.
//
// Input: byte 0 picks the platform, byte 1 the scenario (reply part, resume, committed
// container, Bluesky session); then records separated by 0xFE, each
// [kind][status hi][status lo]"Name: value\n..."\n\n<body>. kind % 4: 0 lost, 1 not sent,
// else a response.

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "core/publish/publisher.hpp"
#include "core/publish/rate_limit.hpp"

namespace {

using namespace growth;
using namespace growth::publish;

constexpr std::string_view kToken = "SECRET-access-token-0123456789";
constexpr std::string_view kPassword = "SECRET-app-pass-word";
constexpr std::string_view kAccessJwt = "SECRET-access-jwt-abcdef";
constexpr std::string_view kRefreshJwt = "SECRET-refresh-jwt-abcdef";

void check(bool ok) {
    if (!ok) std::abort();
}

http::Outcome parse_record(std::string_view rec) {
    if (rec.size() < 3) return http::NoResponse{http::NoResponseKind::lost, "short record"};
    auto kind = static_cast<unsigned char>(rec[0]) % 4;
    if (kind == 0) return http::NoResponse{http::NoResponseKind::lost, "timeout"};
    if (kind == 1) return http::NoResponse{http::NoResponseKind::not_sent, "refused"};
    http::HttpResponse r;
    r.status =
        (static_cast<unsigned char>(rec[1]) << 8 | static_cast<unsigned char>(rec[2])) % 1000;
    rec.remove_prefix(3);
    auto end = rec.find("\n\n");
    std::string_view head = end == std::string_view::npos ? rec : rec.substr(0, end);
    r.body = end == std::string_view::npos ? std::string() : std::string(rec.substr(end + 2));
    while (!head.empty()) {
        auto nl = head.find('\n');
        auto line = head.substr(0, nl);
        auto colon = line.find(':');
        if (colon != std::string_view::npos) {
            auto value = line.substr(colon + 1);
            if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
            r.headers.add(std::string(line.substr(0, colon)), std::string(value));
        }
        if (nl == std::string_view::npos) break;
        head.remove_prefix(nl + 1);
    }
    return r;
}

// The secrets of the account under test (a publisher can only hide what it was given).
std::vector<std::string_view> g_secrets;

bool leaks(const std::string& text) {
    for (auto s : g_secrets) {
        if (text.find(s) != std::string::npos) return true;
    }
    return false;
}

template <class Step, class Result>
void check_final(const Step& step) {
    if (const auto* f = std::get_if<Failure>(&step)) {
        check(!f->code.empty());
        check(!f->message.empty());
        check(!leaks(f->message));
        check(f->message.find('\n') == std::string::npos);
    } else {
        check(std::holds_alternative<Result>(step));
    }
}

template <class Machine, class Step, class Result>
void drive(Machine& m, const std::vector<http::Outcome>& outcomes, Instant now) {
    Step step = m.start(now);
    std::size_t i = 0;
    int requests = 0;
    while (std::holds_alternative<Send>(step)) {
        check(++requests <= 12);  // every machine ends after a handful of requests
        const auto& send = std::get<Send>(step);
        check(!send.request.method.empty() && !send.request.url.empty());
        http::Outcome o = i < outcomes.size()
                              ? outcomes[i++]
                              : http::Outcome(http::NoResponse{http::NoResponseKind::lost, "eof"});
        step = m.feed(o, now);
    }
    check_final<Step, Result>(step);
    if constexpr (std::is_same_v<Result, Published>) {
        if (const auto* p = std::get_if<Published>(&step))
            check(!p->remote_id.empty() && p->remote_id == p->ref.id);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) return 0;
    std::string_view in(reinterpret_cast<const char*>(data), size);
    auto platform = static_cast<Platform>(static_cast<unsigned char>(in[0]) % 7);
    auto flags = static_cast<unsigned char>(in[1]);
    in.remove_prefix(2);

    std::vector<http::Outcome> outcomes;
    while (!in.empty() && outcomes.size() < 16) {
        auto sep = in.find('\xFE');
        outcomes.push_back(parse_record(in.substr(0, sep)));
        if (sep == std::string_view::npos) break;
        in.remove_prefix(sep + 1);
    }

    Account a;
    a.platform = platform;
    a.api_base = "http://127.0.0.1:1/api";
    a.user_id = platform == Platform::linkedin ? "urn:li:person:abc" : "12345";
    a.username = "alice.test";
    // Each account holds only its own platform's secrets (those are what must never leak).
    if (platform == Platform::bluesky) {
        a.app_password = std::string(kPassword);
        g_secrets = {kPassword};
        if (flags & 8) {
            a.session = BlueskySession{std::string(kAccessJwt), std::string(kRefreshJwt),
                                       "did:plc:abc", "alice.test"};
            g_secrets = {kPassword, kAccessJwt, kRefreshJwt};
        }
    } else {
        a.access_token = std::string(kToken);
        g_secrets = {kToken};
    }

    Part part;
    part.text = "Hello (world) #growth é";
    part.index = (flags & 1) ? 2 : 1;
    part.idempotency_key = "3lbq5z2k7xs2a";
    part.media_url = "https://cdn.example/a.jpg";
    part.resume = (flags & 2) != 0;
    if (flags & 4) part.container_id = "c1";
    if (part.index > 1) {
        part.parent =
            PartRef{"at://did:plc:abc/app.bsky.feed.post/3lbq5z2k7xs22", "bafyp", "https://e.x/p"};
        part.root = part.parent;
    }
    part.facets = {{Facet::Kind::link, 0, 5, "https://e.x"},
                   {Facet::Kind::mention, 6, 13, "bob.test"}};

    Instant now{std::chrono::milliseconds{1767268800000}};
    auto pub = make_part_publisher(a, part);
    drive<PartPublisher, PartStep, Published>(*pub, outcomes, now);
    auto who = make_whoami(a);
    drive<WhoAmI, WhoAmIStep, Identity>(*who, outcomes, now);

    // The header parsers on every header value seen.
    for (const auto& o : outcomes) {
        if (const auto* r = std::get_if<http::HttpResponse>(&o)) {
            (void)x_reset(r->headers, now);
            (void)mastodon_reset(r->headers, now);
            (void)bluesky_reset(r->headers, now);
            (void)meta_reset(r->headers, now);
            for (const auto& h : r->headers.items()) {
                (void)parse_iso8601(h.value);
                (void)parse_retry_after(h.value, now);
            }
        }
    }
    return 0;
}
