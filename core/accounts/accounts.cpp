#include "core/accounts/accounts.hpp"

#include <optional>

#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include "core/error.hpp"
#include "core/did_you_mean.hpp"
#include "core/json_parse.hpp"
#include "core/store/sqlite_error.hpp"

namespace growth::accounts {

namespace {

constexpr const char* select_columns = "SELECT id, name, platform, api_base, settings FROM accounts";

Account from_row(SQLite::Statement& q) {
    Account a;
    a.id = q.getColumn(0).getInt64();
    a.name = q.getColumn(1).getString();
    // The table's CHECK admits only the seven names.
    a.platform = publish::parse_platform(q.getColumn(2).getString()).value_or(publish::Platform::x);
    a.api_base = q.getColumn(3).isNull() ? std::string() : q.getColumn(3).getString();
    a.settings = parse_json_bounded(q.getColumn(4).getString()).value_or(Json::object());
    if (!a.settings.is_object()) a.settings = Json::object();
    return a;
}

std::vector<Account> query(Store& store, const std::string& where,
                           std::optional<std::string_view> arg) {
    std::vector<Account> out;
    try {
        auto q = store.statement(std::string(select_columns) + where + " ORDER BY name");
        if (arg) q->bind(1, std::string(*arg));
        while (q->executeStep()) out.push_back(from_row(*q));
    } catch (const SQLite::Exception& e) {
        throw store_error_from(e, store.path().string());
    }
    return out;
}

std::string joined(const std::vector<Account>& accounts) {
    std::string out;
    for (const auto& a : accounts) out += (out.empty() ? "" : ", ") + a.name;
    return out;
}

// "; did you mean 'work-x'?" when a name (or platform name) is close, else "".
std::string suggestion(Store& store, std::string_view word, bool platforms_too) {
    std::vector<std::string> candidates;
    for (const auto& a : list(store)) candidates.push_back(a.name);
    if (platforms_too) {
        for (const char* p : {"x", "linkedin", "facebook", "instagram", "threads", "mastodon", "bluesky"}) {
            candidates.emplace_back(p);
        }
    }
    if (auto s = did_you_mean(word, candidates)) return fmt::format("; did you mean '{}'?", *s);
    return {};
}

}  // namespace

std::vector<Account> list(Store& store) { return query(store, "", std::nullopt); }

Account get(Store& store, std::string_view name) {
    auto found = query(store, " WHERE name = ?1", name);
    if (found.empty()) {
        throw Error("account_not_found", fmt::format("no account named '{}'{}", name,
                                                     suggestion(store, name, false)));
    }
    return std::move(found.front());
}

Account resolve(Store& store, std::string_view to) {
    auto by_name = query(store, " WHERE name = ?1", to);
    if (!by_name.empty()) return std::move(by_name.front());
    if (const auto platform = publish::parse_platform(to)) {
        auto of_platform = query(store, " WHERE platform = ?1", to);
        if (of_platform.size() == 1) return std::move(of_platform.front());
        if (of_platform.empty()) {
            throw Error("account_not_found",
                        fmt::format("no {} account; add one with: growthctl account add {} --name NAME",
                                    to, to));
        }
        throw Error("account_ambiguous",
                    fmt::format("{} {} accounts ({}): name one of them", of_platform.size(), to,
                                joined(of_platform)));
    }
    throw Error("account_not_found", fmt::format("no account or platform named '{}'{}", to,
                                                 suggestion(store, to, true)));
}

}  // namespace growth::accounts
