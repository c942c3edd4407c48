// index.json of a layout being written, read for editing: checked strictly (duplicate keys,
// depth), then parsed again keeping its members' order so the rewrite changes only what it adds.
// Shared by the cosign signature writer and the bundle referrer writer.
#pragma once

#include <nlohmann/json.hpp>

#include "edgeverify/error.hpp"
#include "edgeverify/layout_writer.hpp"

namespace edgeverify::signatures_detail {

// Errors: not_found when the source has no index.json, json_* from the strict parse,
// schema_violation when `manifests` is not an array.
Expected<nlohmann::ordered_json> read_index_for_editing(LayoutWriter& layout);

}  // namespace edgeverify::signatures_detail
