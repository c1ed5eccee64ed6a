// The wire never carries a silently altered string: a request line that is not UTF-8 gets a
// parse_error naming the byte offset, and a message holding a string that is not UTF-8 is never
// encoded with U+FFFD in its place.
#include <doctest/doctest.h>

#include "core/error.hpp"
#include "core/rpc/dispatcher.hpp"
#include "core/rpc/message.hpp"
#include "core/rpc/method_table.hpp"

using namespace growth;

TEST_CASE("a reply holding invalid UTF-8 becomes an internal error for the same id") {
    Json result = Json::object();
    result["text"] = "ok \xc3\x28 bad";
    CHECK(rpc::to_line(rpc::make_result(7, result)) ==
          R"({"jsonrpc":"2.0","id":7,"error":{"code":-32603,"message":"internal error: a string in the reply )"
          R"(is not UTF-8: invalid UTF-8 byte at index 4: 0x28","data":{"kind":"internal_error"}}})"
          "\n");
    CHECK(rpc::to_line(rpc::make_error("a", rpc::ErrorCode::application_error, "bad_input", "\xff")) ==
          R"({"jsonrpc":"2.0","id":"a","error":{"code":-32603,"message":"internal error: a string in the reply )"
          R"(is not UTF-8: invalid UTF-8 byte at index 0: 0xFF","data":{"kind":"internal_error"}}})"
          "\n");
}

TEST_CASE("a request or notification holding invalid UTF-8 is not sent") {
    Json params = Json::object();
    params["text"] = "ok \xc3\x28 bad";
    CHECK_THROWS_WITH_AS(rpc::to_line(rpc::make_request(1, "post.publish", params)),
                         "a string in the message is not UTF-8: invalid UTF-8 byte at index 4: 0x28", Error);
    CHECK_THROWS_WITH_AS(rpc::to_line(rpc::make_notification("x.y", params)),
                         "a string in the message is not UTF-8: invalid UTF-8 byte at index 4: 0x28", Error);
}

TEST_CASE("well-formed strings are encoded as they are") {
    Json result = Json::object();
    result["text"] = "caf\xc3\xa9 \xf0\x9f\x9a\x80";
    CHECK(rpc::to_line(rpc::make_result(1, result)) ==
          "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"text\":\"caf\xc3\xa9 \xf0\x9f\x9a\x80\"}}\n");
}

TEST_CASE("a request line that is not UTF-8 gets a parse error naming the byte offset") {
    rpc::MethodTable table;
    const rpc::Dispatcher d(table);
    const auto reply = d.handle_line("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"post.publish\",\"params\":{\"text\":\"ok \xc3\x28\"}}");
    REQUIRE(reply);
    CHECK(rpc::to_line(*reply) ==
          R"({"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"invalid UTF-8 at byte offset 69 of )"
          R"(the request line","data":{"kind":"parse_error"}}})"
          "\n");
}
