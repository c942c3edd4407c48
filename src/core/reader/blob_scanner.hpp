// The per-blob streaming engine shared by every source: hash the stored bytes, sniff what they
// are, and for layers decompress (second thread), hash the tar stream (diff_id) and scan it;
// small documents are kept. Bytes are pushed in, in any chunking, by the reading thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "edgeverify/source.hpp"
#include "layer_decompressor.hpp"

namespace edgeverify::reader {

// Chunk size of file and archive reads.
inline constexpr std::size_t kReadChunkBytes = 1024 * 1024;

// blobs/sha512/<hex> hashes with sha512; every other path with sha256.
DigestAlgorithm algorithm_for_path(std::string_view path);

class BlobScanner {
public:
    // `size_hint`: the stored size when known (0 otherwise); only used to skip keeping content
    // of blobs that are too large to be kept anyway.
    BlobScanner(std::string path, DigestAlgorithm algorithm, std::uint64_t size_hint,
                const ScanOptions& options);
    ~BlobScanner();
    BlobScanner(const BlobScanner&) = delete;
    BlobScanner& operator=(const BlobScanner&) = delete;

    void feed(const std::uint8_t* data, std::size_t length);
    // Ends the blob. Layer problems are reported in BlobRecord::layer->error, not here.
    BlobRecord finish();

private:
    enum class Mode { sniffing, compressed_layer, tar_layer, document };

    void decide();
    void route(const std::uint8_t* data, std::size_t length);
    void scan_tar(const std::uint8_t* data, std::size_t length);

    BlobRecord record_;
    std::uint64_t max_layer_uncompressed_bytes_;
    LayerScanOptions layer_scan_options_;
    std::unique_ptr<Hasher> stored_hasher_;
    Mode mode_ = Mode::sniffing;
    std::string head_;  // first bytes, held until the kind of blob is known
    bool keep_content_ = true;
    std::string content_;
    std::unique_ptr<Hasher> diff_id_hasher_;  // compressed layers only
    std::unique_ptr<LayerTarScanner> tar_scanner_;
    std::optional<Error> layer_error_;  // set before streaming (thread start failure)
    std::optional<Error> tar_error_;
    std::uint64_t uncompressed_size_ = 0;
    std::unique_ptr<LayerDecompressor> decompressor_;
};

// Rate-limits ProgressCallback: at most every 64 MiB or 100 ms.
class ProgressReporter {
public:
    ProgressReporter(ProgressCallback callback, std::uint64_t total);
    void advance(std::uint64_t bytes);
    void done();

private:
    ProgressCallback callback_;
    std::uint64_t total_;
    std::uint64_t done_ = 0;
    std::uint64_t reported_ = 0;
    std::chrono::steady_clock::time_point last_;
};

// Reads `fd` to its end through a BlobScanner; `on_read` sees every chunk size read.
Expected<BlobRecord> scan_fd(int fd, std::string path, DigestAlgorithm algorithm, const ScanOptions& options,
                             const std::function<void(std::size_t)>& on_read);

}  // namespace edgeverify::reader
