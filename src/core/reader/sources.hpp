// Private seams between the source front door (open_source) and the directory and archive sources.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "edgeverify/source.hpp"

namespace edgeverify::reader {

// A path inside a source, made canonical: "./" prefixes, "." and empty components dropped.
// Absolute paths and ".." components are Errc::unsafe_path; an empty result is Errc::unsafe_path.
Expected<std::string> normalize_source_path(std::string_view path);

// A directory source (`kind` oci_layout or containers_dir), read lazily without following links.
// `directory_fd` is owned by the source from here on.
std::unique_ptr<BlobSource> make_directory_source(SourceKind kind, int directory_fd, std::string root,
                                                  const ScanOptions& options);

// Performs the whole streaming pass over the archive open at `fd` (closed by the caller).
Expected<std::unique_ptr<BlobSource>> read_archive_source(int fd, const std::string& display_path,
                                                          std::uint64_t file_size,
                                                          std::optional<SourceKind> forced_kind,
                                                          const ScanOptions& options);

}  // namespace edgeverify::reader
