#pragma once
// The default key source: 32 random bytes in a file of their own, 0600, outside the data
// directory (DESIGN.md §6), so a copy of the data directory alone does not open the vault.

#include <filesystem>

#include "core/paths.hpp"
#include "core/secrets/key_source.hpp"

namespace growth::secrets {

/// $XDG_CONFIG_HOME/growth/vault.key, else $HOME/.config/growth/vault.key. Throws as
/// paths::config_file.
std::filesystem::path default_key_file(const paths::EnvLookup& env = paths::process_env());

/// A key file of exactly 32 bytes. Created (0600, its directory 0700) only for a new vault.
class KeyFileSource final : public KeySource {
public:
    explicit KeyFileSource(std::filesystem::path path) : path_(std::move(path)) {}

    std::string kind() const override { return "key_file"; }
    std::string describe() const override { return "key file " + path_.string(); }
    bool exists() const override;

    /// Reads the key; when `create` and the file is absent, makes one first. Refuses a file that
    /// is not a regular file, has another size than 32 bytes, or is readable or writable by group
    /// or others (Error "vault_error" with a fix).
    Key key(std::string& params, bool create) override;

    const std::filesystem::path& path() const noexcept { return path_; }

private:
    std::filesystem::path path_;
};

}  // namespace growth::secrets
