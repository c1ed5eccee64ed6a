#pragma once
// Links, mentions, hashtags and cashtags found the way twitter-text's extractEntitiesWithIndices
// finds them, with UTF-8 byte offsets (what Bluesky facets and the splitter need).

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace growth::text {

/// What an entity is.
enum class EntityKind { url, mention, hashtag, cashtag };

/// One entity: [start, end) in UTF-8 bytes of the text it was found in.
struct Entity {
    EntityKind kind = EntityKind::url;
    std::size_t start = 0;
    std::size_t end = 0;
    bool has_protocol = false;  ///< for URLs: written with http:// or https://
};

/// Entities of well-formed UTF-8 `text` in order, overlaps removed as twitter-text does (the
/// earlier-starting one stays). Throws std::bad_alloc only.
std::vector<Entity> find_entities(std::string_view text);

/// Name of a kind: "url", "mention", "hashtag", "cashtag". Throws nothing.
const char* entity_kind_name(EntityKind kind) noexcept;

namespace tw {

/// A twitter-text entity over UTF-16 units.
struct UnitEntity {
    EntityKind kind;
    std::size_t start;
    std::size_t end;
    bool has_protocol;
};

/// extractMentionsOrListsWithIndices. Throws std::bad_alloc only.
void extract_mentions(std::u16string_view t, std::vector<UnitEntity>& out);
/// extractHashtagsWithIndices with checkUrlOverlap: false. Throws std::bad_alloc only.
void extract_hashtags(std::u16string_view t, std::vector<UnitEntity>& out);
/// extractCashtagsWithIndices. Throws std::bad_alloc only.
void extract_cashtags(std::u16string_view t, std::vector<UnitEntity>& out);
/// extractEntitiesWithIndices: all four, sorted by start, overlaps removed. Throws std::bad_alloc.
std::vector<UnitEntity> extract_entities(std::u16string_view t);

}  // namespace tw

}  // namespace growth::text
