// Sources and the streaming reader: an OCI layout directory, an oci-archive tar (optionally
// gzip-compressed), a docker-archive tar or a containers-image `dir:` directory. Every byte is read once:
// each blob is hashed as it passes, layers are also decompressed, hashed (diff_id) and scanned in the same
// pass, and only small JSON documents are kept in memory.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "edgeverify/digest.hpp"
#include "edgeverify/error.hpp"
#include "edgeverify/layer_scan.hpp"
#include "edgeverify/limits.hpp"
#include "edgeverify/oci.hpp"

namespace edgeverify {

// containers_dir: what `skopeo copy ... dir:D` writes: manifest.json (the image manifest or a
// manifest list), blobs named by bare sha256 hex, <hex>.manifest.json for the instances of a
// list, a `version` file and signature-N files. Detected from a directory that holds
// manifest.json and neither index.json nor oci-layout.
enum class SourceKind { oci_layout, oci_archive, docker_archive, containers_dir };
// "oci", "oci-archive", "docker-archive", "dir"
std::string_view source_kind_name(SourceKind kind);

// A SOURCE argument: "PATH", or with a forced kind "oci:DIR[:REF]", "oci-archive:FILE[:REF]",
// "docker-archive:FILE[:NAME:TAG]", "dir:DIR" (skopeo's transport names; a dir: copy holds one
// image, so it takes no name).
struct SourceSpec {
    std::optional<SourceKind> forced_kind;
    std::string path;
    std::string image_name;  // REF or NAME:TAG; empty when none was named
};
Expected<SourceSpec> parse_source_argument(std::string_view argument);

// Called from the reading thread with bytes consumed so far and the total when known (else 0).
using ProgressCallback = std::function<void(std::uint64_t done, std::uint64_t total)>;

struct ScanOptions {
    std::uint64_t max_layer_uncompressed_bytes = limits::kDefaultMaxLayerUncompressedBytes;
    ProgressCallback progress;
    LayerScanOptions layer_scan;  // watched paths, captured files' shared budget
};

// What the reader learnt about a blob whose data looked like a layer (compressed or tar).
struct LayerScan {
    Compression compression = Compression::none;
    Digest diff_id;  // sha256 of the uncompressed tar stream
    std::uint64_t uncompressed_size = 0;
    LayerFacts facts;
    std::optional<Error> error;  // decompression or tar error; diff_id is then empty
};

// One file of the source, as streamed.
struct BlobRecord {
    std::string path;  // inside the source, e.g. "blobs/sha256/<hex>"
    std::uint64_t size = 0;
    Digest digest;                       // computed; algorithm from blobs/<alg>/, else sha256
    std::optional<std::string> content;  // kept when small (<= kMaxJsonDocumentBytes) and not a layer
    std::optional<LayerScan> layer;      // set when the data is gzip, zstd or tar
};

class BlobSource {
public:
    virtual ~BlobSource() = default;
    // Detected (or forced and confirmed) kind.
    virtual SourceKind kind() const = 0;
    // The record of a file at `path` (relative, '/'-separated). Errc::blob_missing when absent;
    // Errc::unsafe_path for a symlink or a path with ".." or a leading "/".
    virtual Expected<const BlobRecord*> file(std::string_view path) = 0;
    virtual bool has_file(std::string_view path) = 0;
    // Paths of the regular files directly under directory `prefix` ("blobs/sha256"), sorted, for
    // finding unlisted referrers. At most limits::kMaxArchiveEntries; more -> limit_exceeded.
    // A missing directory gives an empty list. Symlinks are not listed.
    virtual Expected<std::vector<std::string>> list_files(std::string_view prefix) = 0;
    // The size of the file at `path` without reading its content (a directory source stats it;
    // an archive already knows it). Errors as file().
    virtual Expected<std::uint64_t> file_size(std::string_view path) {
        auto record = file(path);
        if (!record) return record.take_error();
        return (*record)->size;
    }
    // Bytes read from the source so far (compressed, as stored).
    virtual std::uint64_t bytes_read() const = 0;
};

// Opens a source. For archives this performs the whole streaming pass; for a layout directory
// files are read when first asked for. Errors: Errc::not_found / permission_denied / io_error for
// an unreadable path; archive_* and limit_exceeded for bad archives; unsafe_path for archive
// entries with absolute or ".." names; archive_duplicate_entry for one name with two contents.
Expected<std::unique_ptr<BlobSource>> open_source(const SourceSpec& spec, const ScanOptions& options);

// Streams one blob from an already-open file descriptor (used by the layout reader and tests):
// hashes with `algorithm`, sniffs gzip/zstd/tar, and for layers decompresses on a second thread.
Expected<BlobRecord> scan_blob_fd(int fd, std::string path, DigestAlgorithm algorithm,
                                  const ScanOptions& options);

}  // namespace edgeverify
