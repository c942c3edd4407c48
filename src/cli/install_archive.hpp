// The archive `edgeverify install` hands to `ctr images import`: the staged (verified) copy with
// an index.json that lists only the verified images, each named for containerd.
#pragma once

#include <string>
#include <vector>

#include "edgeverify/digest.hpp"
#include "edgeverify/error.hpp"
#include "install_staging.hpp"

namespace edgeverify::cli {

struct ImportEntry {
    Digest top_digest;           // what index.json lists: the image's index, else its manifest
    std::string containerd_name; // io.containerd.image.name, the normalized reference
};

// Rewrites the staged copy's index.json (LayoutWriter) to hold only the descriptors of
// `entries`, annotated with io.containerd.image.name; signature (.sig) manifests, referrers and
// unverified images are dropped. For a staged layout, also writes <staging>/import.tar
// (export_layout_as_oci_archive). Returns the oci-archive to import. An entry whose digest
// index.json does not list -> Errc::internal (the verified image must be in the index).
Expected<std::string> build_import_archive(const StagedSource& staged, const std::vector<ImportEntry>& entries);

}  // namespace edgeverify::cli
