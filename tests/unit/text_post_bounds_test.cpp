// The bounds on one post (limits.max_post_bytes, limits.max_parts): refused with the exact error
// before anything is stored, an oversize text before any split; and the text as a whole must be
// UTF-8 before any platform sees it.
#include <doctest/doctest.h>

#include <string>

#include "core/error.hpp"
#include "core/pipeline/plan.hpp"
#include "core/text/post_bounds.hpp"
#include "core/text/splitter.hpp"

using namespace growth;

namespace {

std::string words(int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s += (i ? " " : "") + std::string("word");
    return s;
}

std::string error_of(auto&& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.kind() + ": " + e.what();
    }
    return "no error";
}

accounts::Account account(const std::string& name, publish::Platform p) {
    accounts::Account a;
    a.id = 1;
    a.name = name;
    a.platform = p;
    a.settings = Json::object();
    return a;
}

}  // namespace

TEST_CASE("a text over max_post_bytes is refused naming its size, the bound and the key") {
    text::PostBounds b;
    CHECK(b.max_post_bytes == 512 * 1024);
    CHECK(b.max_parts == 100);
    b.max_post_bytes = 10;
    CHECK_NOTHROW(text::require_post_size("0123456789", b));
    CHECK(error_of([&] { text::require_post_size("0123456789a", b); }) ==
          "post_too_large: the text is 11 bytes; a post may hold at most 10 bytes (limits.max_post_bytes)");
}

TEST_CASE("a split over max_parts is refused with the number of parts it needs") {
    // 100 words of 5 bytes: 499 characters, two X parts.
    text::SplitOptions o;
    o.max_parts = 2;
    CHECK(text::split_text(text::Platform::x, words(100), o).size() == 2);
    o.max_parts = 1;
    CHECK(error_of([&] { text::split_text(text::Platform::x, words(100), o); }) ==
          "too_many_parts: the text needs 2 parts; a thread may have at most 1 (limits.max_parts)");
    // The count is the one with the labels: numbering can add a part.
    o.numbering = text::Numbering::slash;
    o.max_parts = 3;
    const std::string text = words(112);  // 559 characters: 2 parts bare, 3 with " k/n" labels
    CHECK(text::split_text(text::Platform::x, text, {}).size() == 2);
    CHECK(text::split_text(text::Platform::x, text, o).size() == 3);
    o.max_parts = 2;
    CHECK(error_of([&] { text::split_text(text::Platform::x, text, o); }) ==
          "too_many_parts: the text needs 3 parts; a thread may have at most 2 (limits.max_parts)");
}

TEST_CASE("plan_post applies the bounds per target, naming the platform and account") {
    text::PostBounds b;
    b.max_parts = 1;
    CHECK(error_of([&] { pipeline::plan_post(words(100), {account("mine", publish::Platform::x)}, {}, b); }) ==
          "too_many_parts: x (account 'mine'): the text needs 2 parts; a thread may have at most 1 "
          "(limits.max_parts)");
    // LinkedIn takes 3000 characters a part: the same text is one part there.
    CHECK(pipeline::plan_post(words(100), {account("li", publish::Platform::linkedin)}, {}, b).targets.size() == 1);
}

TEST_CASE("plan_post refuses an oversize text before splitting it for any platform") {
    text::PostBounds b;
    b.max_post_bytes = 1024;
    // An unsplittable text: were it split, the error would be "unsplittable".
    const std::string text = "https://example.com/" + std::string(2000, 'a');
    CHECK(error_of([&] { pipeline::plan_post(text, {account("b", publish::Platform::bluesky)}, {}, b); }) ==
          "post_too_large: the text is 2020 bytes; a post may hold at most 1024 bytes (limits.max_post_bytes)");
    b.max_post_bytes = 4096;
    CHECK(error_of([&] { pipeline::plan_post(text, {account("b", publish::Platform::bluesky)}, {}, b); })
              .rfind("unsplittable: bluesky (account 'b'): ", 0) == 0);
}

TEST_CASE("plan_post refuses invalid UTF-8 naming the byte offset, for no platform in particular") {
    CHECK(error_of([] { pipeline::plan_post("ok \xc3\x28 bad", {account("x", publish::Platform::x)}, {}); }) ==
          "bad_input: invalid UTF-8 at byte offset 3");
    CHECK(error_of([] { pipeline::plan_post("lone \xed\xa0\x80 surrogate", {account("x", publish::Platform::x)}, {}); }) ==
          "bad_input: invalid UTF-8 at byte offset 5");
}
