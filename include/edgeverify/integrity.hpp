// Integrity verification: index -> manifest -> config -> layers, every blob against its
// descriptor's size and digest, every decompressed layer against rootfs.diff_ids.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "edgeverify/digest.hpp"
#include "edgeverify/error.hpp"
#include "edgeverify/layer_scan.hpp"
#include "edgeverify/oci.hpp"
#include "edgeverify/source.hpp"

namespace edgeverify {

struct IntegrityOptions {
    std::optional<Platform> platform;  // default: host_platform()
    bool all_platforms = false;        // verify every platform of an index
    std::uint64_t max_layer_uncompressed_bytes = limits::kDefaultMaxLayerUncompressedBytes;
    ProgressCallback progress;
    // Entries at these paths become watched_path findings (the rules' forbiddenPaths).
    std::vector<std::string> watched_paths = default_watched_paths();
};

struct LayerResult {
    std::size_t index = 0;
    Descriptor descriptor;
    Compression compression = Compression::none;
    Digest diff_id;  // computed; empty for layers of unknown media type
    std::uint64_t uncompressed_size = 0;
    LayerFacts facts;
    std::optional<Error> error;
};

struct ImageResult {
    std::string name;                   // ref name, RepoTags entry, or empty
    std::optional<Digest> index_digest; // the index the manifest was selected from
    Digest manifest_digest;             // for docker-archive: empty (the archive has no manifest)
    std::string manifest_media_type;
    std::optional<Platform> platform;   // from the index entry or the config
    Digest config_digest;
    std::string config_media_type;
    bool container_image = false;       // config is an OCI/Docker image config (runnable)
    std::optional<ImageConfig> config;
    std::map<std::string, std::string> annotations;  // the manifest's (base image, version...)
    std::vector<LayerResult> layers;
    std::optional<Error> error;          // first failure of this image
};

struct IntegrityReport {
    SourceKind kind = SourceKind::oci_layout;
    std::vector<ImageResult> images;
    std::vector<Error> errors;  // every failure, in the order found (source-level ones too)
    std::uint64_t bytes_read = 0;
    double seconds = 0;

    bool passed() const { return errors.empty() && !images.empty(); }
};

// Verifies one source. Returns an Error only when the source cannot be verified at all for a
// reason that is not the content's fault (usage, I/O); content failures are in the report.
Expected<IntegrityReport> verify_integrity(const SourceSpec& source, const IntegrityOptions& options);

// The same, keeping the opened source for the stages after integrity (signatures): they read
// the documents the single pass kept, never the source again. `source` is null when the source
// could not be opened (the report says why).
struct IntegrityPass {
    IntegrityReport report;
    std::unique_ptr<BlobSource> source;
};
Expected<IntegrityPass> run_integrity_pass(const SourceSpec& source, const IntegrityOptions& options);

}  // namespace edgeverify
