// Private: tells the images of an index.json from the signature and referrer artifacts stored
// beside them, which are never verified or reported as images to run.
#pragma once

#include "edgeverify/oci.hpp"
#include "edgeverify/source.hpp"

namespace edgeverify::integrity {

// True for an index.json entry that is an artifact, not an image: a cosign .sig/.att/.sbom tag,
// a referrers-tag index (`sha256-<64 hex>`), a cosign save sigs/atts entry, a descriptor with
// artifactType, or a document that is an OCI 1.1 artifact or referrer (it has `subject` or
// `artifactType`, or its config is application/vnd.oci.empty.v1+json). A document that cannot be
// read or parsed is not judged an artifact: it is verified as an image, which reports why.
bool is_artifact_entry(BlobSource& source, const Descriptor& entry);

}  // namespace edgeverify::integrity
