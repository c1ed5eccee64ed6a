// Line framing: complete lines come out whatever the fragmentation; the 1 MiB bound holds.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/rpc/dispatcher.hpp"
#include "core/rpc/line_framer.hpp"
#include "core/rpc/message.hpp"
#include "core/rpc/protocol.hpp"

using growth::rpc::LineFramer;

TEST_CASE("framer hands out a line only once its newline has arrived") {
    LineFramer f;
    f.feed("{\"a\":");
    CHECK_FALSE(f.next_line().has_value());
    f.feed("1}\n");
    CHECK(f.next_line() == std::optional<std::string>("{\"a\":1}"));
    CHECK_FALSE(f.next_line().has_value());
    CHECK(f.buffered() == 0);
}

TEST_CASE("framer splits several lines fed at once, in order") {
    LineFramer f;
    f.feed("one\ntwo\nthr");
    CHECK(*f.next_line() == "one");
    CHECK(*f.next_line() == "two");
    CHECK_FALSE(f.next_line().has_value());
    CHECK(f.buffered() == 3);
    f.feed("ee\n");
    CHECK(*f.next_line() == "three");
}

TEST_CASE("framer yields the same lines when fed one byte at a time") {
    const std::string stream = "{\"jsonrpc\":\"2.0\"}\n\nabc\r\nxyz\n";
    LineFramer f;
    std::vector<std::string> lines;
    for (char c : stream) {
        f.feed(std::string_view(&c, 1));
        while (auto line = f.next_line()) lines.push_back(*line);
    }
    CHECK(lines == std::vector<std::string>{"{\"jsonrpc\":\"2.0\"}", "", "abc", "xyz"});
}

TEST_CASE("framer strips one trailing carriage return") {
    LineFramer f;
    f.feed("abc\r\n");
    CHECK(*f.next_line() == "abc");
}

TEST_CASE("framer accepts a line of exactly the limit") {
    LineFramer f(8);
    f.feed("12345678\n");
    CHECK(*f.next_line() == "12345678");
    CHECK_FALSE(f.overflowed());
}

TEST_CASE("framer overflows on a complete line one byte over the limit") {
    LineFramer f(8);
    f.feed("ok\n123456789\nlater\n");
    CHECK(*f.next_line() == "ok");
    CHECK_FALSE(f.next_line().has_value());
    CHECK(f.overflowed());
    CHECK_FALSE(f.next_line().has_value());  // permanent: "later" is never handed out
}

TEST_CASE("framer overflows on an unterminated line past the limit without buffering it all") {
    LineFramer f(8);
    f.feed("123456789");
    CHECK_FALSE(f.next_line().has_value());
    CHECK(f.overflowed());
    f.feed(std::string(1000, 'x'));
    CHECK(f.buffered() == 0);
}

TEST_CASE("the protocol limit is 1 MiB") { CHECK(growth::rpc::max_line_bytes == 1048576); }

TEST_CASE("protocol major is parsed from MAJOR.MINOR only") {
    using growth::rpc::parse_protocol_major;
    CHECK(parse_protocol_major("1.0") == 1);
    CHECK(parse_protocol_major("12.3") == 12);
    CHECK(parse_protocol_major("1") == -1);
    CHECK(parse_protocol_major("1.") == -1);
    CHECK(parse_protocol_major(".1") == -1);
    CHECK(parse_protocol_major("a.1") == -1);
    CHECK(parse_protocol_major("1.x") == -1);
}

TEST_CASE("a 200 KB line nested 100,000 deep is answered and the next line on the stream is served") {
    growth::rpc::MethodTable table;
    table.add({"test.ping", "Answers pong.", {}, false},
              [](const growth::rpc::Json&) { return growth::rpc::Json("pong"); });
    const growth::rpc::Dispatcher dispatcher(table);
    LineFramer f;
    const std::string deep = R"j({"jsonrpc":"2.0","id":1,"method":"test.ping","params":{"x":)j" +
                             std::string(100'000, '[') + std::string(100'000, ']') + "}}";
    // Arriving in 4 KiB pieces, as from a socket, followed by an ordinary call.
    const std::string stream = deep + "\n" + R"j({"jsonrpc":"2.0","id":2,"method":"test.ping"})j" + "\n";
    std::vector<std::string> replies;
    for (std::size_t at = 0; at < stream.size(); at += 4096) {
        f.feed(std::string_view(stream).substr(at, 4096));
        while (auto line = f.next_line()) {
            if (auto r = dispatcher.handle_line(*line)) replies.push_back(growth::rpc::to_line(*r));
        }
    }
    CHECK_FALSE(f.overflowed());
    REQUIRE(replies.size() == 2);
    CHECK(replies[0] ==
          R"j({"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"the request nests arrays and objects deeper than 64 levels (limits.max_json_depth)","data":{"kind":"invalid_request"}}})j"
          "\n");
    CHECK(replies[1] == R"j({"jsonrpc":"2.0","id":2,"result":"pong"})j" "\n");
}
