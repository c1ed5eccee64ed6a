#include <doctest/doctest.h>

#include "core/http/redact.hpp"

using namespace growth::http;

TEST_CASE("redacted hides the Authorization header") {
    HttpRequest req{"POST",
                    "https://h/2/tweets",
                    {{"authorization", "Bearer tok"}, {"Content-Type", "text/plain"}},
                    "hi"};
    auto r = redacted(req);
    CHECK(r.headers.get("Authorization") == "[redacted]");
    CHECK(r.headers.get("Content-Type") == "text/plain");
    CHECK(r.body == "hi");
}

TEST_CASE("redacted hides access_token in the query and the form body") {
    HttpRequest req{"POST",
                    "https://h/me?fields=id&access_token=tok",
                    {{"Content-Type", "application/x-www-form-urlencoded"}},
                    "message=hi&access_token=tok"};
    auto r = redacted(req);
    CHECK(r.url == "https://h/me?fields=id&access_token=[redacted]");
    CHECK(r.body == "message=hi&access_token=[redacted]");
}

TEST_CASE("redacted hides Bluesky login and session fields in JSON") {
    HttpRequest req{"POST",
                    "https://pds/xrpc/x",
                    {{"Content-Type", "application/json"}},
                    R"({"identifier":"alice","password":"app-pw"})"};
    CHECK(redacted(req).body == R"({"identifier":"alice","password":"[redacted]"})");
}

TEST_CASE("redacted replaces a JSON body it cannot parse") {
    HttpRequest req{"POST", "https://h", {{"Content-Type", "application/json"}}, "{\"password\":"};
    CHECK(redacted(req).body == "[unparsed body]");
}
