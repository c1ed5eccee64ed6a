#pragma once
// vault.db's migrations (PRAGMA user_version), separate from growth.db's.

#include <span>

#include "core/store/migrations.hpp"

namespace growth::secrets {

/// The vault's migrations, oldest first. Never edited once released; append new ones.
std::span<const Migration> vault_migrations() noexcept;

}  // namespace growth::secrets
