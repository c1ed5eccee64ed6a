#include <doctest/doctest.h>

#include "core/error.hpp"

TEST_CASE("Error carries its kind and message") {
    growth::Error e("bad_input", "no text given");
    CHECK(e.kind() == "bad_input");
    CHECK(std::string(e.what()) == "no text given");
}
