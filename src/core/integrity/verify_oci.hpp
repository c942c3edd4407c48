// Private: integrity of OCI layouts and oci-archives (and of the OCI documents of a dir: copy).
#pragma once

#include <string>

#include "edgeverify/integrity.hpp"

namespace edgeverify::integrity {

void verify_oci_source(BlobSource& source, const std::string& image_name, const IntegrityOptions& options,
                       IntegrityReport& report);

// Verifies one manifest or index whose bytes are at `document_path` in `source` (not at its blob
// path), as an index.json entry: what a containers-image dir: copy's manifest.json needs.
void verify_oci_document(BlobSource& source, const Descriptor& document, const std::string& document_path,
                         const IntegrityOptions& options, IntegrityReport& report);

}  // namespace edgeverify::integrity
