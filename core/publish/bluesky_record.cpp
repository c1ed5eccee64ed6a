#include "core/publish/bluesky_record.hpp"

#include <fmt/format.h>

namespace growth::publish::bluesky::detail {

namespace {

bool is_continuation_byte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

}  // namespace

// Empty when every facet is a well-formed range on UTF-8 boundaries of `text`.
std::string facet_problem(const std::string& text, const std::vector<Facet>& facets) {
    for (std::size_t i = 0; i < facets.size(); ++i) {
        const auto& f = facets[i];
        auto name = fmt::format("facet {}", i + 1);
        if (f.byte_start >= f.byte_end) return name + " is empty or reversed";
        if (f.byte_end > text.size()) return name + " ends past the text";
        if (is_continuation_byte(text[f.byte_start]) ||
            (f.byte_end < text.size() && is_continuation_byte(text[f.byte_end]))) {
            return name + " does not start and end on UTF-8 character boundaries";
        }
        if (f.value.empty()) return name + " has no value";
    }
    return {};
}

namespace {

nlohmann::ordered_json facet_json(const Facet& f) {
    nlohmann::ordered_json j;
    j["index"]["byteStart"] = f.byte_start;
    j["index"]["byteEnd"] = f.byte_end;
    nlohmann::ordered_json feature;
    switch (f.kind) {
        case Facet::Kind::link:
            feature["$type"] = "app.bsky.richtext.facet#link";
            feature["uri"] = f.value;
            break;
        case Facet::Kind::mention:
            feature["$type"] = "app.bsky.richtext.facet#mention";
            feature["did"] = f.value;
            break;
        case Facet::Kind::tag:
            feature["$type"] = "app.bsky.richtext.facet#tag";
            feature["tag"] = f.value;
            break;
    }
    j["features"] = nlohmann::ordered_json::array({feature});
    return j;
}

nlohmann::ordered_json strong_ref(const PartRef& r) {
    nlohmann::ordered_json j;
    j["uri"] = r.id;
    j["cid"] = r.cid;
    return j;
}

}  // namespace

nlohmann::ordered_json post_record(const Part& part, std::string_view created_at,
                                   const std::vector<std::string>& langs) {
    nlohmann::ordered_json record;
    record["$type"] = kCollection;
    record["text"] = part.text;
    record["createdAt"] = created_at;
    if (!langs.empty()) record["langs"] = langs;
    if (part.index > 1 && part.root && part.parent) {
        record["reply"]["root"] = strong_ref(*part.root);
        record["reply"]["parent"] = strong_ref(*part.parent);
    }
    if (!part.facets.empty()) {
        auto facets = nlohmann::ordered_json::array();
        for (const auto& f : part.facets) facets.push_back(facet_json(f));
        record["facets"] = std::move(facets);
    }
    return record;
}

}  // namespace growth::publish::bluesky::detail
