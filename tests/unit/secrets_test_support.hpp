#pragma once
// Helpers shared by the secrets and accounts unit tests: a temporary directory and an in-memory
// SecretStore.

#include <doctest/doctest.h>

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <utility>

#include "core/error.hpp"
#include "core/secrets/secret_store.hpp"

namespace growth::test {

struct SecretsTempDir {
    std::filesystem::path path;
    SecretsTempDir() {
        std::string tmpl = (std::filesystem::temp_directory_path() / "growth-vault-XXXXXX").string();
        REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
        path = tmpl;
    }
    ~SecretsTempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
};

inline std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

/// A SecretStore in memory; `fail_puts` makes put() throw vault_error (to test all-or-nothing).
class MemorySecrets final : public secrets::SecretStore {
public:
    std::map<std::pair<std::string, std::string>, std::string> values;
    bool fail_puts = false;

    void put(std::string_view account, std::string_view field, std::string_view value) override {
        if (fail_puts) throw Error("vault_error", "vault test: write refused");
        values[{std::string(account), std::string(field)}] = std::string(value);
    }
    std::optional<std::string> get(std::string_view account, std::string_view field) override {
        const auto it = values.find({std::string(account), std::string(field)});
        if (it == values.end()) return std::nullopt;
        return it->second;
    }
    void erase_account(std::string_view account) override {
        std::erase_if(values, [&](const auto& kv) { return kv.first.first == account; });
    }
};

}  // namespace growth::test
