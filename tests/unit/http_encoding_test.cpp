#include <doctest/doctest.h>

#include "core/http/encoding.hpp"
#include "core/http/message.hpp"

using namespace growth::http;

TEST_CASE("percent_encode keeps only RFC 3986 unreserved characters") {
    CHECK(percent_encode("AZaz09-._~") == "AZaz09-._~");
    CHECK(percent_encode("a b&c=d/e?f#g+h%") == "a%20b%26c%3Dd%2Fe%3Ff%23g%2Bh%25");
}

TEST_CASE("percent_encode encodes UTF-8 bytes with upper-case hex") {
    CHECK(percent_encode("é😀") == "%C3%A9%F0%9F%98%80");
}

TEST_CASE("percent_encode of a LinkedIn URN") {
    CHECK(percent_encode("urn:li:share:7012345678901234567") ==
          "urn%3Ali%3Ashare%3A7012345678901234567");
}

TEST_CASE("encode_params joins pairs in order") {
    CHECK(encode_params({{"message", "Hello world!"}, {"access_token", "t/k"}}) ==
          "message=Hello%20world%21&access_token=t%2Fk");
    CHECK(encode_params({}) == "");
}

TEST_CASE("with_query appends with ? or &") {
    CHECK(with_query("https://h/p", {{"a", "1"}}) == "https://h/p?a=1");
    CHECK(with_query("https://h/p?x=0", {{"a", "1 2"}}) == "https://h/p?x=0&a=1%202");
    CHECK(with_query("https://h/p", {}) == "https://h/p");
}

TEST_CASE("join_url puts exactly one slash between base and path") {
    CHECK(join_url("https://h/v1/", "/me") == "https://h/v1/me");
    CHECK(join_url("https://h/v1", "me") == "https://h/v1/me");
}

TEST_CASE("percent_decode reverses percent_encode and keeps malformed escapes") {
    CHECK(percent_decode("a%20b%2") == "a b%2");
    CHECK(percent_decode("a+b", true) == "a b");
    CHECK(percent_decode("%zz") == "%zz");
    CHECK(percent_decode(percent_encode("é ~&")) == "é ~&");
}

TEST_CASE("Headers lookup is case-insensitive and returns the first value") {
    Headers h;
    h.add("X-Rate-Limit-Reset", "1");
    h.add("x-rate-limit-reset", "2");
    CHECK(h.get("x-rate-limit-reset") == "1");
    CHECK(h.get("X-RATE-LIMIT-RESET") == "1");
    CHECK_FALSE(h.get("x-rate-limit").has_value());
    CHECK(h.items().size() == 2);
}
