#pragma once
// The durable state machine every part moves through (DESIGN.md §5). The spellings are stored in
// growth.db and shown on the wire, so they never change; migration 1's CHECK constraint lists them.

#include <array>
#include <optional>
#include <string_view>

namespace growth {

/// A part's state: draft | scheduled -> due -> prepared -> sending -> published | retry_wait |
/// failed | unknown | canceled, plus missed (later than the catch-up window) and needs_auth.
enum class PartState {
    draft,
    scheduled,
    due,
    prepared,
    sending,
    published,
    retry_wait,
    failed,
    unknown,
    canceled,
    missed,
    needs_auth,
};

/// Every state, in declaration order.
inline constexpr std::array<PartState, 12> all_part_states = {
    PartState::draft,     PartState::scheduled, PartState::due,     PartState::prepared,
    PartState::sending,   PartState::published, PartState::retry_wait, PartState::failed,
    PartState::unknown,   PartState::canceled,  PartState::missed,  PartState::needs_auth,
};

/// The stored spelling ("retry_wait", ...). Never throws.
constexpr std::string_view to_string(PartState s) noexcept {
    switch (s) {
        case PartState::draft: return "draft";
        case PartState::scheduled: return "scheduled";
        case PartState::due: return "due";
        case PartState::prepared: return "prepared";
        case PartState::sending: return "sending";
        case PartState::published: return "published";
        case PartState::retry_wait: return "retry_wait";
        case PartState::failed: return "failed";
        case PartState::unknown: return "unknown";
        case PartState::canceled: return "canceled";
        case PartState::missed: return "missed";
        case PartState::needs_auth: return "needs_auth";
    }
    return "unknown";
}

/// The state spelled `name`, or nullopt. Never throws.
constexpr std::optional<PartState> parse_part_state(std::string_view name) noexcept {
    for (PartState s : all_part_states) {
        if (to_string(s) == name) return s;
    }
    return std::nullopt;
}

}  // namespace growth
