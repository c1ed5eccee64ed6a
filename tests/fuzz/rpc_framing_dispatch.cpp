// libFuzzer target: the line framing and JSON-RPC dispatch, fed in small fragments as a socket
// would deliver them. Invariants checked: every reply is one valid JSON-RPC 2.0 response line, and
// nothing crashes, leaks or reads out of bounds (ASan/UBSan). Inputs go up to 256 KiB so that a
// line nested 100,000 deep (which overflowed the stack before the depth bound) is reachable.
// fuzz-max-len: 262144
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/error.hpp"
#include "core/rpc/dispatcher.hpp"
#include "core/rpc/line_framer.hpp"
#include "core/rpc/message.hpp"
#include "daemon/methods.hpp"

namespace {

struct FakeControl : growth::daemon::DaemonControl {
    growth::rpc::Json status() override { return {{"version", "0"}, {"pid", 1}}; }
    growth::rpc::Json reload() override { throw growth::Error("config_invalid", "c:1:1: bad"); }
    void stop() noexcept override {}
};

void check_reply(const growth::rpc::Json& reply) {
    const std::string line = growth::rpc::to_line(reply);
    // One line, newline-terminated, parseable, with exactly one of result/error.
    if (line.empty() || line.back() != '\n' || line.find('\n') != line.size() - 1) std::abort();
    const auto parsed = growth::rpc::Json::parse(line);
    if (parsed.at("jsonrpc") != "2.0" || !parsed.contains("id")) std::abort();
    if (parsed.contains("result") == parsed.contains("error")) std::abort();
    if (parsed.contains("error") && !parsed["error"]["data"]["kind"].is_string()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static FakeControl control;
    static growth::rpc::MethodTable table = [] {
        growth::rpc::MethodTable t;
        growth::daemon::add_daemon_methods(t, control);
        return t;
    }();
    static const growth::rpc::Dispatcher dispatcher(table);
    static const growth::rpc::Dispatcher shallow = [] {
        growth::rpc::Dispatcher d(table);
        d.set_max_json_depth(16);  // the smallest limits.max_json_depth
        return d;
    }();
    if (size == 0) return 0;
    // The first byte chooses the fragment size (1..16), via its high bit a small line limit so
    // the overflow path is reached too, and via 0x40 the smallest JSON depth limit.
    const std::size_t fragment = (data[0] & 0x0f) + 1;
    growth::rpc::LineFramer framer((data[0] & 0x80) != 0 ? 64 : growth::rpc::max_line_bytes);
    std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
    while (!rest.empty()) {
        const auto piece = rest.substr(0, fragment);
        rest.remove_prefix(piece.size());
        framer.feed(piece);
        while (auto line = framer.next_line()) {
            const auto& d = (data[0] & 0x40) != 0 ? shallow : dispatcher;
            if (auto reply = d.handle_line(*line)) check_reply(*reply);
        }
        if (framer.overflowed()) break;
    }
    return 0;
}
