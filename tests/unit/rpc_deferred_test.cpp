// Deferred replies: a handler answers later through its Responder; the connection's sink sees
// exactly one settlement per deferred call.
#include <doctest/doctest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/rpc/deferred.hpp"
#include "core/rpc/dispatcher.hpp"
#include "core/rpc/message.hpp"

using growth::rpc::CallContext;
using growth::rpc::Dispatcher;
using growth::rpc::Json;
using growth::rpc::MethodTable;
using growth::rpc::Responder;

namespace {

struct RecordingSink : growth::rpc::LateReplySink {
    int owed_count = 0;
    int limit = 1000;                ///< admit() refuses once owed_count reaches it
    bool closed = false;             ///< gone() reports it
    std::vector<std::string> lines;  ///< "<none>" for a settlement without a response
    void admit() const override {
        if (owed_count >= limit) throw growth::Error("too_many_requests", "full up");
    }
    bool gone() const noexcept override { return closed; }
    void owed() noexcept override { ++owed_count; }
    void settle(std::optional<Json> response) override {
        --owed_count;
        if (!response) {
            lines.push_back("<none>");
            return;
        }
        std::string line = growth::rpc::to_line(*response);
        line.pop_back();
        lines.push_back(line);
    }
};

struct Fixture {
    MethodTable table;
    std::vector<Responder> waiting;
    std::shared_ptr<RecordingSink> sink = std::make_shared<RecordingSink>();
    Fixture() {
        table.add_deferred({"test.later", "Answers later.", {}, false},
                           [this](const Json&, const CallContext&, Responder reply) {
                               waiting.push_back(reply);
                           });
        table.add_deferred({"test.refuse", "Throws before answering.", {}, false},
                           [](const Json&, const CallContext&, Responder) {
                               throw growth::Error("bad_input", "no such post");
                           });
    }
    std::string call(const std::string& line) {
        const Dispatcher d(table);
        const auto response = d.handle_line(line, CallContext{1, sink});
        if (!response) return "<none>";
        std::string out = growth::rpc::to_line(*response);
        out.pop_back();
        return out;
    }
};

}  // namespace

TEST_CASE("a deferred method gets no immediate reply and answers later with its id") {
    Fixture f;
    CHECK(f.call(R"j({"jsonrpc":"2.0","id":3,"method":"test.later"})j") == "<none>");
    CHECK(f.sink->owed_count == 1);
    REQUIRE(f.waiting.size() == 1);
    f.waiting[0].result(Json{{"done", true}});
    CHECK(f.sink->owed_count == 0);
    REQUIRE(f.sink->lines.size() == 1);
    CHECK(f.sink->lines[0] == R"j({"jsonrpc":"2.0","id":3,"result":{"done":true}})j");
}

TEST_CASE("a deferred call is answered once: a second answer is ignored") {
    Fixture f;
    f.call(R"j({"jsonrpc":"2.0","id":"a","method":"test.later"})j");
    f.waiting[0].result(Json{{"n", 1}});
    f.waiting[0].result(Json{{"n", 2}});
    CHECK(f.sink->lines.size() == 1);
}

TEST_CASE("a deferred handler that throws is answered at once with the error") {
    Fixture f;
    CHECK(f.call(R"j({"jsonrpc":"2.0","id":4,"method":"test.refuse"})j") ==
          R"j({"jsonrpc":"2.0","id":4,"error":{"code":-32000,"message":"no such post","data":{"kind":"bad_input"}}})j");
    CHECK(f.sink->owed_count == 0);
}

TEST_CASE("a dropped responder answers with an internal error so the client never hangs") {
    Fixture f;
    f.call(R"j({"jsonrpc":"2.0","id":5,"method":"test.later"})j");
    f.waiting.clear();
    REQUIRE(f.sink->lines.size() == 1);
    CHECK(f.sink->lines[0] ==
          R"j({"jsonrpc":"2.0","id":5,"error":{"code":-32603,"message":"internal error: growthd dropped this request before answering","data":{"kind":"internal_error"}}})j");
}

TEST_CASE("a deferred notification settles without a response") {
    Fixture f;
    f.call(R"j({"jsonrpc":"2.0","method":"test.later"})j");
    f.waiting[0].result(Json{{"x", 1}});
    CHECK(f.sink->lines == std::vector<std::string>{"<none>"});
    CHECK(f.sink->owed_count == 0);
}

TEST_CASE("a deferred call the sink does not admit is answered at once and its handler never runs") {
    Fixture f;
    f.sink->limit = 1;
    CHECK(f.call(R"j({"jsonrpc":"2.0","id":1,"method":"test.later"})j") == "<none>");
    CHECK(f.call(R"j({"jsonrpc":"2.0","id":2,"method":"test.later"})j") ==
          R"j({"jsonrpc":"2.0","id":2,"error":{"code":-32000,"message":"full up","data":{"kind":"too_many_requests"}}})j");
    CHECK(f.waiting.size() == 1);
    CHECK(f.sink->owed_count == 1);
    // A refused notification gets no answer at all.
    CHECK(f.call(R"j({"jsonrpc":"2.0","method":"test.later"})j") == "<none>");
    CHECK(f.waiting.size() == 1);
    CHECK(f.sink->lines.empty());
}

TEST_CASE("a responder is abandoned once its sink is gone; without a sink it never is") {
    Fixture f;
    f.call(R"j({"jsonrpc":"2.0","id":1,"method":"test.later"})j");
    REQUIRE(f.waiting.size() == 1);
    CHECK_FALSE(f.waiting[0].abandoned());
    f.sink->closed = true;
    CHECK(f.waiting[0].abandoned());
    const Responder detached(Json(7), true, nullptr);
    CHECK_FALSE(detached.abandoned());
}
