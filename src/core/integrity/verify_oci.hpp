// Private: integrity of OCI layouts and oci-archives.
#pragma once

#include <string>

#include "edgeverify/integrity.hpp"

namespace edgeverify::integrity {

void verify_oci_source(BlobSource& source, const std::string& image_name, const IntegrityOptions& options,
                       IntegrityReport& report);

}  // namespace edgeverify::integrity
