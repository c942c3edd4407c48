// Strict JSON parsing for hostile input: size, depth and duplicate keys are checked, and
// every error names the document it came from.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "edgeverify/error.hpp"
#include "edgeverify/limits.hpp"

namespace edgeverify {

using Json = nlohmann::json;

struct JsonLimits {
    std::size_t max_bytes = limits::kMaxJsonDocumentBytes;
    int max_depth = limits::kMaxJsonDepth;
};

// `where` names the document in errors, e.g. "index.json" or "manifest sha256:ab12...".
Expected<Json> parse_json_strict(std::string_view text, std::string_view where, JsonLimits limits = {});

}  // namespace edgeverify
