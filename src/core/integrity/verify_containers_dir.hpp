// Private: integrity of a containers-image dir: copy (skopeo copy ... dir:D).
#pragma once

#include "edgeverify/integrity.hpp"

namespace edgeverify::integrity {

void verify_containers_dir_source(BlobSource& source, const IntegrityOptions& options,
                                  IntegrityReport& report);

}  // namespace edgeverify::integrity
