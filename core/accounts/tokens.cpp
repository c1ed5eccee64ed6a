#include "core/accounts/tokens.hpp"

#include <charconv>

#include "core/accounts/names.hpp"
#include "core/secrets/secret_bytes.hpp"

namespace growth::accounts {

namespace {

std::optional<std::int64_t> read_ms(secrets::SecretStore& secrets, const Account& account, std::string_view field) {
    const auto v = secrets.get(account.name, field);
    if (!v || v->empty()) return std::nullopt;
    std::int64_t out = 0;
    const auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
    if (ec != std::errc() || end != v->data() + v->size()) return std::nullopt;
    return out;
}

void save_times(secrets::SecretStore& secrets, const Account& account, const oauth::TokenSet& tokens,
                std::int64_t now_ms) {
    if (tokens.expires_in) {
        secrets.put(account.name, field_token_expires_at, std::to_string(now_ms + *tokens.expires_in * 1000));
        secrets.put(account.name, field_token_refresh_at, std::to_string(refresh_time(now_ms, *tokens.expires_in)));
    } else {
        secrets.put(account.name, field_token_expires_at, "");
        secrets.put(account.name, field_token_refresh_at, "");
    }
}

}  // namespace

TokenState::~TokenState() { secrets::wipe(refresh_token.data(), refresh_token.size()); }

TokenState token_state(secrets::SecretStore& secrets, const Account& account) {
    TokenState s;
    if (auto r = secrets.get(account.name, field_refresh_token)) {
        s.refresh_token = std::move(*r);
        secrets::wipe(r->data(), r->size());
    }
    s.expires_at = read_ms(secrets, account, field_token_expires_at);
    s.refresh_at = read_ms(secrets, account, field_token_refresh_at);
    return s;
}

std::int64_t refresh_time(std::int64_t now_ms, std::int64_t expires_in_s) noexcept {
    const std::int64_t life = expires_in_s * 1000;
    std::int64_t margin = life / 10;
    if (life > 120'000 && margin < 60'000) margin = 60'000;
    return now_ms + life - margin;
}

void save_token_details(secrets::SecretStore& secrets, const Account& account, const oauth::TokenSet& tokens,
                        std::int64_t now_ms) {
    secrets.put(account.name, field_refresh_token, tokens.refresh_token);
    save_times(secrets, account, tokens, now_ms);
}

void save_refreshed(secrets::SecretStore& secrets, const Account& account, const oauth::TokenSet& tokens,
                    std::int64_t now_ms) {
    if (!tokens.refresh_token.empty()) secrets.put(account.name, field_refresh_token, tokens.refresh_token);
    secrets.put(account.name, field_access_token, tokens.access_token);
    save_times(secrets, account, tokens, now_ms);
}

}  // namespace growth::accounts
