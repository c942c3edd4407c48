// Writing into an image source: an OCI layout directory or an (uncompressed) oci-archive tar.
// Used by `edgeverify sign` to add signature manifests and referrers. Nothing becomes visible
// before commit(), and commit() replaces files atomically: blobs first, index.json last in a
// layout; a whole new archive renamed over the old one for an oci-archive.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "edgeverify/error.hpp"
#include "edgeverify/source.hpp"

namespace edgeverify {

class LayoutWriter {
public:
    virtual ~LayoutWriter() = default;
    virtual SourceKind kind() const = 0;
    // A file of the source ("index.json", "blobs/sha256/<hex>") as it is now (staged files
    // included), or nullopt when absent. Larger than max_bytes -> Errc::limit_exceeded.
    // Symlinks and paths with ".." -> Errc::unsafe_path.
    virtual Expected<std::optional<std::string>> read_file(std::string_view path, std::size_t max_bytes) = 0;
    // Stages a file; a later put of the same path replaces the earlier one.
    virtual Status put_file(std::string_view path, std::string_view bytes) = 0;
    // Makes every staged file visible, each fsynced; on failure the source is left as it was.
    virtual Status commit() = 0;
};

// Opens an OCI layout directory or an oci-archive for writing (kind detected like open_source,
// or forced by spec.forced_kind). A docker-archive or a compressed oci-archive ->
// Errc::usage explaining it cannot be signed in place. Errors: not_found, permission_denied,
// io_error.
Expected<std::unique_ptr<LayoutWriter>> open_layout_writer(const SourceSpec& spec);

}  // namespace edgeverify
