#include "core/pipeline/preflight.hpp"

#include <SQLiteCpp/Statement.h>

#include "core/store/sqlite_error.hpp"

namespace growth::pipeline {

std::optional<Millis> next_scheduled_due(Store& store, Millis after) {
    return guarded(store, [&]() -> std::optional<Millis> {
        SQLite::Statement q(store.db(), "SELECT min(due_at) FROM posts WHERE state = 'scheduled' AND due_at > ?");
        q.bind(1, static_cast<std::int64_t>(after));
        if (!q.executeStep() || q.getColumn(0).isNull()) return std::nullopt;
        return q.getColumn(0).getInt64();
    });
}

std::vector<DueAccount> accounts_due(Store& store, Millis after, Millis until, int limit) {
    return guarded(store, [&] {
        // SQLite takes the bare columns of a min() aggregate from the row holding the minimum.
        SQLite::Statement q(store.db(),
                            "SELECT t.account, p.id, min(p.due_at) FROM posts p JOIN targets t ON t.post_id = p.id "
                            "WHERE p.state = 'scheduled' AND p.due_at > ? AND p.due_at <= ? AND t.account_id IS NOT NULL "
                            "GROUP BY t.account ORDER BY t.account LIMIT ?");
        q.bind(1, static_cast<std::int64_t>(after));
        q.bind(2, static_cast<std::int64_t>(until));
        q.bind(3, limit);
        std::vector<DueAccount> out;
        while (q.executeStep()) {
            out.push_back({q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getInt64()});
        }
        return out;
    });
}

std::optional<Millis> scheduled_due(Store& store, const std::string& id) {
    return guarded(store, [&]() -> std::optional<Millis> {
        SQLite::Statement q(store.db(), "SELECT due_at FROM posts WHERE id = ? AND state = 'scheduled'");
        q.bind(1, id);
        if (!q.executeStep() || q.getColumn(0).isNull()) return std::nullopt;
        return q.getColumn(0).getInt64();
    });
}

std::optional<Millis> account_updated_at(Store& store, const std::string& name) {
    return guarded(store, [&]() -> std::optional<Millis> {
        SQLite::Statement q(store.db(), "SELECT updated_at FROM accounts WHERE name = ?");
        q.bind(1, name);
        if (!q.executeStep()) return std::nullopt;
        return q.getColumn(0).getInt64();
    });
}

std::array<std::pair<Millis, Millis>, 2> PreflightPlan::advance(Millis now) noexcept {
    std::array<std::pair<Millis, Millis>, 2> ranges{};
    for (std::size_t w = 0; w < preflight_windows.size(); ++w) {
        const Millis until = now + preflight_windows[w];
        ranges[w] = {cursors_[w], std::max(cursors_[w], until)};
        cursors_[w] = std::max(cursors_[w], until);
    }
    return ranges;
}

}  // namespace growth::pipeline
