#pragma once
// Building the app.bsky.feed.post record (internal to core/publish): text, createdAt, langs,
// reply strong refs and facets, as lexicons/app/bsky/feed/post.json and richtext/facet.json
// define them (platforms.md §7.2).

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/publish/types.hpp"

namespace growth::publish::bluesky::detail {

inline constexpr std::string_view kCollection = "app.bsky.feed.post";

/// Empty when every facet is a non-empty byte range inside `text` that starts and ends on UTF-8
/// character boundaries and has a value; else a message naming the first bad facet ("facet 2
/// ends past the text"). Never throws beyond std::bad_alloc.
std::string facet_problem(const std::string& text, const std::vector<Facet>& facets);

/// The record for `part` (reply refs for index > 1, facets when present, langs when given).
/// Never throws beyond std::bad_alloc.
nlohmann::ordered_json post_record(const Part& part, std::string_view created_at,
                                   const std::vector<std::string>& langs);

}  // namespace growth::publish::bluesky::detail
