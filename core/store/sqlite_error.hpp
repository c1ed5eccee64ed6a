#pragma once
// Turning SQLiteCpp's exceptions into growth::Error with a stable kind (internal to core/store).

#include <string>

#include <SQLiteCpp/Exception.h>

#include "core/error.hpp"

namespace growth {

/// Error("store_busy") for SQLITE_BUSY/SQLITE_LOCKED (another connection holds the lock past the
/// busy timeout), Error("store_error") otherwise; the message is "<label>: <sqlite message>".
Error store_error_from(const SQLite::Exception& e, const std::string& label);

}  // namespace growth
