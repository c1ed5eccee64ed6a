#include "core/pipeline/record_keys.hpp"

#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <chrono>

#include "core/publish/bluesky_tid.hpp"

namespace growth::pipeline {

std::string next_record_key(SQLite::Database& db, std::int64_t account_id, Millis now,
                            std::uint16_t clock_id) {
    SQLite::Statement q(db,
                        "SELECT max(record_key) FROM parts WHERE target_id = "
                        "(SELECT t.id FROM targets t WHERE t.account_id = ? AND EXISTS "
                        "(SELECT 1 FROM parts p WHERE p.target_id = t.id AND p.record_key IS NOT NULL) "
                        "ORDER BY t.id DESC LIMIT 1)");
    q.bind(1, static_cast<std::int64_t>(account_id));
    std::int64_t micros = now * 1000;
    if (q.executeStep() && !q.getColumn(0).isNull()) {
        const std::int64_t newest = publish::bluesky::tid_micros(q.getColumn(0).getString());
        if (newest >= 0) micros = std::max(micros, newest + 1);
    }
    return publish::bluesky::make_tid(
        publish::bluesky::Micros(std::chrono::microseconds(micros)), clock_id);
}

}  // namespace growth::pipeline
