#pragma once
// Where account secrets live: one small interface, so the encrypted vault (passphrase, systemd
// credential key sources) can slot in beneath it without touching its users.

#include <optional>
#include <string>
#include <string_view>

namespace growth::secrets {

/// Secrets by (account name, field), e.g. ("work-x", "access_token"). Values are never logged.
/// Loop thread only.
class SecretStore {
public:
    virtual ~SecretStore() = default;

    /// Stores or replaces a value, durably, before returning.
    /// Throws growth::Error("vault_error" | "vault_locked").
    virtual void put(std::string_view account, std::string_view field, std::string_view value) = 0;

    /// The value, or nullopt when absent. Throws growth::Error("vault_error" | "vault_locked").
    virtual std::optional<std::string> get(std::string_view account, std::string_view field) = 0;

    /// Removes every field of `account`. Throws growth::Error("vault_error" | "vault_locked").
    virtual void erase_account(std::string_view account) = 0;
};

}  // namespace growth::secrets
