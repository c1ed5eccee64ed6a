#pragma once
// A growth.db in a fresh temporary directory, removed with the directory when the test ends.

#include <doctest/doctest.h>
#include <stdlib.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>

#include "core/store/store.hpp"

namespace growth::test {

struct TempStore {
    std::filesystem::path dir;
    std::unique_ptr<Store> store;
    TempStore() {
        std::string tmpl = (std::filesystem::temp_directory_path() / "growth-store-XXXXXX").string();
        REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
        dir = tmpl;
        store = std::make_unique<Store>(dir / "growth.db");
    }
    ~TempStore() {
        store.reset();
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
    }
    TempStore(const TempStore&) = delete;
    TempStore& operator=(const TempStore&) = delete;
    SQLite::Database& db() { return store->db(); }
};

/// Deterministic "random" bits for post ids and keys (pipeline::RandomBits) in tests.
inline std::uint32_t next_bits() {
    static std::uint32_t n = 0;
    return ++n * 2654435761U;
}

}  // namespace growth::test
