// Turning an OCI layout directory into an (uncompressed) oci-archive tar: what `edgeverify
// install` hands to `ctr images import`, which reads archives only.
#pragma once

#include <string>

#include "edgeverify/error.hpp"

namespace edgeverify {

// Writes `archive_path` (created with O_EXCL, mode 0600, fsynced) holding the layout's
// oci-layout, index.json and every regular file under blobs/<algorithm>/. Anything else in the
// layout is left out. A symlink or non-regular file where a blob should be -> Errc::unsafe_path;
// more than limits::kMaxArchiveEntries blobs -> limit_exceeded; I/O errors -> io_error.
Status export_layout_as_oci_archive(const std::string& layout_dir, const std::string& archive_path);

}  // namespace edgeverify
