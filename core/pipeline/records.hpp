#pragma once
// A post, its targets and their parts as stored in growth.db (DESIGN.md §5).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/publish/types.hpp"
#include "core/rpc/json.hpp"
#include "core/store/part_state.hpp"

namespace growth::pipeline {

/// Milliseconds since the Unix epoch, as every *_at column stores them.
using Millis = std::int64_t;

/// One part row.
struct PartRecord {
    std::int64_t id = 0;
    std::int64_t target_id = 0;
    int index = 1;
    std::string text;
    PartState state = PartState::prepared;
    std::string idempotency_key;  ///< Mastodon Idempotency-Key; Bluesky: the record key too
    std::string record_key;       ///< Bluesky rkey (a TID)
    std::string container_id;     ///< Instagram/Threads container committed before publishing
    std::string remote_id;
    std::string remote_cid;
    std::string remote_url;
    int attempts = 0;
    std::optional<Millis> next_attempt_at;
    std::optional<Millis> first_attempt_at;
    std::string last_error_kind;
    std::string last_error;
    bool verify_on_retry = false;
};

/// One target row with its parts in thread order.
struct TargetRecord {
    std::int64_t id = 0;
    std::string post_id;
    std::optional<std::int64_t> account_id;  ///< empty once the account was removed
    std::string account;
    publish::Platform platform = publish::Platform::x;
    std::string state;
    std::vector<PartRecord> parts;
};

/// One post row with its targets.
struct PostRecord {
    std::string id;
    std::string text;
    std::string state;
    rpc::Json options = rpc::Json::object();  ///< media_url, numbering, catch_up_ms
    Millis created_at = 0;
    std::optional<Millis> due_at;  ///< a scheduled post's due instant; empty: published at once
    std::string tz;                ///< the IANA zone its time was written in ("" when not scheduled)
    std::vector<TargetRecord> targets;
};

}  // namespace growth::pipeline
