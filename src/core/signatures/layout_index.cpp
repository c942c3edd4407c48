// Reading index.json for editing (layout_index.hpp).
#include "signatures/layout_index.hpp"

#include "edgeverify/json.hpp"
#include "edgeverify/limits.hpp"

namespace edgeverify::signatures_detail {

Expected<nlohmann::ordered_json> read_index_for_editing(LayoutWriter& layout) {
    auto index_text = layout.read_file("index.json", limits::kMaxJsonDocumentBytes);
    if (!index_text) return index_text.take_error();
    if (!*index_text) return make_error(Errc::not_found, "index.json: not in the source");
    if (auto strict = parse_json_strict(**index_text, "index.json"); !strict) return strict.take_error();
    nlohmann::ordered_json index = nlohmann::ordered_json::parse(**index_text);
    if (!index.is_object() || !index.contains("manifests") || !index["manifests"].is_array()) {
        return make_error(Errc::schema_violation, "index.json: manifests: expected an array");
    }
    return index;
}

}  // namespace edgeverify::signatures_detail
