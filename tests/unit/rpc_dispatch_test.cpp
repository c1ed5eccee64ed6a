// The dispatcher's replies, as golden wire lines ("don't use constants here in case they are
// wrong"): every JSON-RPC error code, the batch decision, notifications.
#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

#include "core/error.hpp"
#include "core/rpc/dispatcher.hpp"
#include "core/rpc/message.hpp"
#include "core/did_you_mean.hpp"

using growth::rpc::Dispatcher;
using growth::rpc::Json;
using growth::rpc::MethodTable;
using growth::rpc::ParamType;

namespace {

MethodTable test_table() {
    MethodTable t;
    t.add({"test.echo", "Echoes text.", {{"text", ParamType::string, true, "what to echo"},
                                           {"times", ParamType::integer, false, "repeat count"}},
           false},
          [](const Json& params) {
              Json out = Json::object();
              out["text"] = params["text"];
              return out;
          });
    t.add({"test.fail", "Throws an application error.", {}, true},
          [](const Json&) -> Json { throw growth::Error("store_busy", "the database is busy"); });
    t.add({"test.bug", "Throws something unexpected.", {}, false},
          [](const Json&) -> Json { throw std::out_of_range("vector index 3"); });
    return t;
}

/// The reply line to `request` (without '\n'), or "<none>".
std::string reply(const std::string& request) {
    static const MethodTable table = test_table();
    const Dispatcher d(table);
    const auto response = d.handle_line(request);
    if (!response) return "<none>";
    std::string line = growth::rpc::to_line(*response);
    line.pop_back();
    return line;
}

}  // namespace

TEST_CASE("a valid call gets its result with the same id") {
    CHECK(reply(R"j({"jsonrpc":"2.0","id":7,"method":"test.echo","params":{"text":"hi"}})j") ==
          R"j({"jsonrpc":"2.0","id":7,"result":{"text":"hi"}})j");
}

TEST_CASE("a string id is echoed as a string") {
    CHECK(reply(R"j({"jsonrpc":"2.0","id":"a-1","method":"test.echo","params":{"text":"x"}})j") ==
          R"j({"jsonrpc":"2.0","id":"a-1","result":{"text":"x"}})j");
}

TEST_CASE("malformed JSON is a parse error (-32700) with a null id") {
    CHECK(reply(R"j({"jsonrpc":"2.0","id":1,)j") ==
          R"j({"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"parse error at line 1, column 25: syntax error while parsing object key - unexpected end of input; expected string literal","data":{"kind":"parse_error"}}})j");
}

TEST_CASE("a number too large for a double is a parse error, not a crash (found by fuzzing)") {
    CHECK(reply(R"j({"jsonrpc":"2.0","id":1E400,"method":"test.echo"})j") ==
          R"j({"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"number overflow parsing '1E400'","data":{"kind":"parse_error"}}})j");
}

TEST_CASE("invalid UTF-8 inside a string is a parse error") {
    const std::string bad = std::string(R"j({"jsonrpc":"2.0","id":1,"method":")j") + "\xff" + "\"}";
    CHECK(reply(bad).find(R"j("code":-32700)j") != std::string::npos);
}

TEST_CASE("a missing jsonrpc member is an invalid request (-32600)") {
    CHECK(reply(R"j({"id":1,"method":"test.echo"})j") ==
          R"j({"jsonrpc":"2.0","id":1,"error":{"code":-32600,"message":"\"jsonrpc\" must be \"2.0\"","data":{"kind":"invalid_request"}}})j");
}

TEST_CASE("a non-string method is an invalid request") {
    CHECK(reply(R"j({"jsonrpc":"2.0","id":1,"method":5})j") ==
          R"j({"jsonrpc":"2.0","id":1,"error":{"code":-32600,"message":"\"method\" must be a string","data":{"kind":"invalid_request"}}})j");
}

TEST_CASE("an id of the wrong type is an invalid request answered with a null id") {
    CHECK(reply(R"j({"jsonrpc":"2.0","id":{"x":1},"method":"test.echo"})j") ==
          R"j({"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"\"id\" must be a string, a number or null","data":{"kind":"invalid_request"}}})j");
}

TEST_CASE("an unexpected top-level member is an invalid request") {
    CHECK(reply(R"j({"jsonrpc":"2.0","id":1,"method":"test.echo","extra":true})j") ==
          R"j({"jsonrpc":"2.0","id":1,"error":{"code":-32600,"message":"unexpected member \"extra\"","data":{"kind":"invalid_request"}}})j");
}

TEST_CASE("a scalar is an invalid request") {
    CHECK(reply("42") ==
          R"j({"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"a request must be a JSON object","data":{"kind":"invalid_request"}}})j");
}

TEST_CASE("batches are not supported: one invalid_request error of kind batch_unsupported") {
    CHECK(reply(R"j([{"jsonrpc":"2.0","id":1,"method":"test.echo"}])j") ==
          R"j({"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"batch requests are not supported; send one request per line","data":{"kind":"batch_unsupported"}}})j");
}

TEST_CASE("an unknown method is -32601 with the nearest name suggested") {
    CHECK(reply(R"j({"jsonrpc":"2.0","id":2,"method":"test.ecko"})j") ==
          R"j({"jsonrpc":"2.0","id":2,"error":{"code":-32601,"message":"unknown method 'test.ecko'; did you mean 'test.echo'?","data":{"kind":"method_not_found","suggestion":"test.echo"}}})j");
}

TEST_CASE("an unknown method far from every name gets no suggestion") {
    CHECK(reply(R"j({"jsonrpc":"2.0","id":2,"method":"account.list"})j") ==
          R"j({"jsonrpc":"2.0","id":2,"error":{"code":-32601,"message":"unknown method 'account.list'","data":{"kind":"method_not_found"}}})j");
}

TEST_CASE("a missing required parameter is -32602") {
    CHECK(reply(R"j({"jsonrpc":"2.0","id":3,"method":"test.echo","params":{}})j") ==
          R"j({"jsonrpc":"2.0","id":3,"error":{"code":-32602,"message":"test.echo: missing parameter 'text'","data":{"kind":"invalid_params"}}})j");
}

TEST_CASE("omitted params count as no parameters") {
    CHECK(reply(R"j({"jsonrpc":"2.0","id":3,"method":"test.echo"})j") ==
          R"j({"jsonrpc":"2.0","id":3,"error":{"code":-32602,"message":"test.echo: missing parameter 'text'","data":{"kind":"invalid_params"}}})j");
}

TEST_CASE("an unknown parameter is -32602") {
    CHECK(reply(R"j({"jsonrpc":"2.0","id":3,"method":"test.echo","params":{"text":"a","txt":"b"}})j") ==
          R"j({"jsonrpc":"2.0","id":3,"error":{"code":-32602,"message":"test.echo: unknown parameter 'txt'","data":{"kind":"invalid_params"}}})j");
}

TEST_CASE("a parameter of the wrong type is -32602") {
    CHECK(reply(R"j({"jsonrpc":"2.0","id":3,"method":"test.echo","params":{"text":"a","times":1.5}})j") ==
          R"j({"jsonrpc":"2.0","id":3,"error":{"code":-32602,"message":"test.echo: parameter 'times' must be an integer","data":{"kind":"invalid_params"}}})j");
}

TEST_CASE("positional params are refused: named parameters only") {
    CHECK(reply(R"j({"jsonrpc":"2.0","id":3,"method":"test.echo","params":["a"]})j") ==
          R"j({"jsonrpc":"2.0","id":3,"error":{"code":-32602,"message":"test.echo: params must be an object (named parameters only)","data":{"kind":"invalid_params"}}})j");
}

TEST_CASE("a growth::Error from a handler is -32000 carrying its kind") {
    CHECK(reply(R"j({"jsonrpc":"2.0","id":4,"method":"test.fail"})j") ==
          R"j({"jsonrpc":"2.0","id":4,"error":{"code":-32000,"message":"the database is busy","data":{"kind":"store_busy"}}})j");
}

TEST_CASE("any other exception from a handler is an internal error (-32603)") {
    CHECK(reply(R"j({"jsonrpc":"2.0","id":5,"method":"test.bug"})j") ==
          R"j({"jsonrpc":"2.0","id":5,"error":{"code":-32603,"message":"internal error: vector index 3","data":{"kind":"internal_error"}}})j");
}

TEST_CASE("a notification gets no reply, even when it fails") {
    CHECK(reply(R"j({"jsonrpc":"2.0","method":"test.echo","params":{"text":"x"}})j") == "<none>");
    CHECK(reply(R"j({"jsonrpc":"2.0","method":"no.such"})j") == "<none>");
}

TEST_CASE("a null id is a request, answered with a null id") {
    CHECK(reply(R"j({"jsonrpc":"2.0","id":null,"method":"test.echo","params":{"text":"n"}})j") ==
          R"j({"jsonrpc":"2.0","id":null,"result":{"text":"n"}})j");
}

TEST_CASE("blank lines are ignored") {
    CHECK(reply("") == "<none>");
    CHECK(reply("  \t") == "<none>");
}

TEST_CASE("the gate can refuse a call before its handler runs") {
    const MethodTable table = test_table();
    const Dispatcher d(table, [](const growth::rpc::MethodSpec& spec) {
        if (spec.mutates) throw growth::Error("shutting_down", "growthd is shutting down");
    });
    CHECK(growth::rpc::to_line(*d.handle_line(R"j({"jsonrpc":"2.0","id":1,"method":"test.fail"})j")) ==
          "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32000,\"message\":\"growthd is shutting "
          "down\",\"data\":{\"kind\":\"shutting_down\"}}}\n");
}

TEST_CASE("the greeting is growth.hello with protocol and daemon version") {
    CHECK(growth::rpc::to_line(growth::rpc::make_hello("0.1.0")) ==
          "{\"jsonrpc\":\"2.0\",\"method\":\"growth.hello\",\"params\":{\"protocol\":\"1.0\","
          "\"version\":\"0.1.0\"}}\n");
}

TEST_CASE("describe lists methods sorted, with params and the mutates flag") {
    const MethodTable table = test_table();
    CHECK(table.describe().dump() ==
          R"j({"methods":[{"name":"test.bug","summary":"Throws something unexpected.","mutates":false,"params":[]},{"name":"test.echo","summary":"Echoes text.","mutates":false,"params":[{"name":"text","type":"string","required":true,"summary":"what to echo"},{"name":"times","type":"integer","required":false,"summary":"repeat count"}]},{"name":"test.fail","summary":"Throws an application error.","mutates":true,"params":[]}]})j");
}

TEST_CASE("registering a method twice is a programming error") {
    MethodTable t;
    t.add({"a.b", "", {}, false}, [](const Json&) { return Json(); });
    CHECK_THROWS_AS(t.add({"a.b", "", {}, false}, [](const Json&) { return Json(); }),
                    std::logic_error);
}

TEST_CASE("did_you_mean over owned names: one rule for verbs, methods and accounts") {
    using growth::did_you_mean;
    const std::vector<std::string> verbs = {"rpc", "status", "preview"};
    CHECK(did_you_mean("stauts", verbs) == std::optional<std::string>("status"));
    CHECK(did_you_mean("STATUS", verbs) == std::optional<std::string>("status"));
    CHECK(did_you_mean("prev", verbs) == std::optional<std::string>("preview"));
    CHECK_FALSE(did_you_mean("zzzzzz", verbs).has_value());
}

namespace {

/// A valid daemon-style request whose params nest `depth` arrays deep (about 2 bytes a level).
std::string deep_request(int depth) {
    return R"j({"jsonrpc":"2.0","id":1,"method":"test.echo","params":{"text":)j" +
           std::string(static_cast<std::size_t>(depth), '[') +
           std::string(static_cast<std::size_t>(depth), ']') + "}}";
}

constexpr const char* kTooDeep64 =
    R"j({"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"the request nests arrays and objects deeper than 64 levels (limits.max_json_depth)","data":{"kind":"invalid_request"}}})j";

}  // namespace

TEST_CASE("a 200 KB request nested 100,000 deep is an invalid request, refused before parsing") {
    // This line crashed growthd (stack overflow copying params); it is far under the 1 MiB limit.
    const std::string line = deep_request(100'000);
    CHECK(line.size() > 200'000);
    CHECK(reply(line) == kTooDeep64);
    // The same dispatcher goes on serving.
    CHECK(reply(R"j({"jsonrpc":"2.0","id":2,"method":"test.echo","params":{"text":"ok"}})j") ==
          R"j({"jsonrpc":"2.0","id":2,"result":{"text":"ok"}})j");
}

TEST_CASE("a line of 100,000 open brackets alone is the same invalid request, not a parse error") {
    CHECK(reply(std::string(100'000, '[')) == kTooDeep64);
}

TEST_CASE("nesting up to the limit is served; the request object itself is a level") {
    // {"params":{"text":[...]}}: 2 levels of objects, then the arrays.
    CHECK(reply(deep_request(62)).find(R"j("error":{"code":-32602)j") != std::string::npos);
    CHECK(reply(deep_request(63)) == kTooDeep64);
}

TEST_CASE("the depth limit follows limits.max_json_depth") {
    static const MethodTable table = test_table();
    Dispatcher d(table);
    d.set_max_json_depth(16);
    CHECK(growth::rpc::to_line(*d.handle_line(deep_request(15))) ==
          R"j({"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"the request nests arrays and objects deeper than 16 levels (limits.max_json_depth)","data":{"kind":"invalid_request"}}})j"
          "\n");
    d.set_max_json_depth(64);
    CHECK(growth::rpc::to_line(*d.handle_line(deep_request(15))).find("-32602") !=
          std::string::npos);
}

TEST_CASE("brackets inside strings do not count towards the depth") {
    const std::string text(100'000, '[');
    CHECK(reply(R"j({"jsonrpc":"2.0","id":3,"method":"test.echo","params":{"text":")j" + text +
                R"j("}})j") == R"j({"jsonrpc":"2.0","id":3,"result":{"text":")j" + text + R"j("}})j");
}
