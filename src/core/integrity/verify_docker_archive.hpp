// Private: integrity of docker-archive tarballs (docker save, skopeo docker-archive:).
#pragma once

#include <string>

#include "edgeverify/integrity.hpp"

namespace edgeverify::integrity {

void verify_docker_archive_source(BlobSource& source, const std::string& image_name, IntegrityReport& report);

}  // namespace edgeverify::integrity
