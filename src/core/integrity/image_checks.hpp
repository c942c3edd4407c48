// Private: verification of one image manifest (config and layers), shared by the OCI and
// docker-archive walkers.
#pragma once

#include <string>
#include <vector>

#include "edgeverify/integrity.hpp"

namespace edgeverify::integrity {

// Records `error` as the image's first failure (if none yet) and in the report's error list.
void record_failure(IntegrityReport& report, ImageResult& image, Error error);

// Checks one layer blob (found by `record`) against media type and diff_id into `result`.
void check_layer(const BlobRecord& record, const Digest& expected_diff_id, bool image_config,
                 LayerResult& result, const std::string& what);

}  // namespace edgeverify::integrity
