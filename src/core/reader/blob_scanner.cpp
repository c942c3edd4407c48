// Per-blob streaming: stored-bytes hash, sniffing, layer decompression and scanning, documents.
#include "blob_scanner.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace edgeverify::reader {

namespace {

// A tar header block: what looks_like_tar_header needs to see before a blob counts as a tar.
constexpr std::size_t kTarBlockBytes = 512;
constexpr std::uint8_t kGzipMagic[] = {0x1f, 0x8b};
constexpr std::uint8_t kZstdMagic[] = {0x28, 0xb5, 0x2f, 0xfd};

// Progress is reported at most this often (whichever comes first).
constexpr std::uint64_t kProgressBytes = 64ULL * 1024 * 1024;
constexpr auto kProgressInterval = std::chrono::milliseconds(100);

bool starts_with(const std::string& head, const std::uint8_t* magic, std::size_t length) {
    return head.size() >= length && std::memcmp(head.data(), magic, length) == 0;
}

}  // namespace

DigestAlgorithm algorithm_for_path(std::string_view path) {
    return path.starts_with("blobs/sha512/") ? DigestAlgorithm::sha512 : DigestAlgorithm::sha256;
}

BlobScanner::BlobScanner(std::string path, DigestAlgorithm algorithm, std::uint64_t size_hint,
                         const ScanOptions& options)
    : max_layer_uncompressed_bytes_(options.max_layer_uncompressed_bytes),
      layer_scan_options_(options.layer_scan),
      stored_hasher_(make_hasher(algorithm)) {
    record_.path = std::move(path);
    keep_content_ = size_hint <= limits::kMaxJsonDocumentBytes;
}

BlobScanner::~BlobScanner() = default;

void BlobScanner::feed(const std::uint8_t* data, std::size_t length) {
    if (length == 0) return;
    stored_hasher_->update(data, length);
    record_.size += length;
    if (mode_ != Mode::sniffing) {
        route(data, length);
        return;
    }
    const std::size_t take = std::min(length, kTarBlockBytes - head_.size());
    head_.append(reinterpret_cast<const char*>(data), take);
    const bool magic_known = starts_with(head_, kGzipMagic, sizeof kGzipMagic) ||
                             starts_with(head_, kZstdMagic, sizeof kZstdMagic);
    if (head_.size() < kTarBlockBytes && !magic_known) return;
    decide();
    if (take < length) route(data + take, length - take);
}

void BlobScanner::decide() {
    Compression compression = Compression::none;
    if (starts_with(head_, kGzipMagic, sizeof kGzipMagic)) {
        mode_ = Mode::compressed_layer;
        compression = Compression::gzip;
    } else if (starts_with(head_, kZstdMagic, sizeof kZstdMagic)) {
        mode_ = Mode::compressed_layer;
        compression = Compression::zstd;
    } else if (head_.size() >= kTarBlockBytes && looks_like_tar_header(head_.data(), kTarBlockBytes)) {
        mode_ = Mode::tar_layer;
    } else {
        mode_ = Mode::document;
    }

    if (mode_ != Mode::document) {
        record_.layer.emplace();
        record_.layer->compression = compression;
        tar_scanner_ = std::make_unique<LayerTarScanner>(layer_scan_options_);
    }
    if (mode_ == Mode::compressed_layer) {
        diff_id_hasher_ = make_hasher(DigestAlgorithm::sha256);
        decompressor_ = std::make_unique<LayerDecompressor>(
            compression, max_layer_uncompressed_bytes_, [this](const std::uint8_t* data, std::size_t length) {
                diff_id_hasher_->update(data, length);
                uncompressed_size_ += length;
                scan_tar(data, length);
            });
        if (auto started = decompressor_->start(); !started) {
            layer_error_ = started.take_error();
            decompressor_.reset();
        }
    }

    std::string head = std::move(head_);
    head_.clear();
    route(reinterpret_cast<const std::uint8_t*>(head.data()), head.size());
}

void BlobScanner::route(const std::uint8_t* data, std::size_t length) {
    switch (mode_) {
        case Mode::sniffing:
            break;
        case Mode::compressed_layer:
            if (decompressor_) decompressor_->feed(data, length);
            break;
        case Mode::tar_layer:
            uncompressed_size_ += length;
            scan_tar(data, length);
            break;
        case Mode::document:
            if (!keep_content_) break;
            if (content_.size() + length > limits::kMaxJsonDocumentBytes) {
                keep_content_ = false;
                std::string().swap(content_);
                break;
            }
            content_.append(reinterpret_cast<const char*>(data), length);
            break;
    }
}

void BlobScanner::scan_tar(const std::uint8_t* data, std::size_t length) {
    if (tar_error_) return;
    if (auto status = tar_scanner_->feed(data, length); !status) tar_error_ = status.take_error();
}

BlobRecord BlobScanner::finish() {
    if (mode_ == Mode::sniffing) decide();
    record_.digest = stored_hasher_->finish();

    if (mode_ == Mode::document) {
        if (keep_content_) record_.content = std::move(content_);
        return std::move(record_);
    }

    LayerScan& layer = *record_.layer;
    // The decompression error is the cause when both fail: a cut stream also cuts the tar.
    std::optional<Error> error = std::move(layer_error_);
    if (decompressor_) {
        auto decompression_error = decompressor_->finish();
        if (!error) error = std::move(decompression_error);
        decompressor_.reset();
    }
    if (!error && tar_error_) error = std::move(tar_error_);
    if (!error) {
        if (auto status = tar_scanner_->finish(); !status) error = status.take_error();
    }
    Digest diff_id = mode_ == Mode::tar_layer ? record_.digest : diff_id_hasher_->finish();
    layer.uncompressed_size = uncompressed_size_;
    layer.facts = tar_scanner_->facts();
    if (error) {
        layer.error = std::move(error);
    } else {
        layer.diff_id = std::move(diff_id);
    }
    return std::move(record_);
}

ProgressReporter::ProgressReporter(ProgressCallback callback, std::uint64_t total)
    : callback_(std::move(callback)), total_(total), last_(std::chrono::steady_clock::now()) {}

void ProgressReporter::advance(std::uint64_t bytes) {
    done_ += bytes;
    if (!callback_) return;
    const auto now = std::chrono::steady_clock::now();
    if (done_ - reported_ < kProgressBytes && now - last_ < kProgressInterval) return;
    reported_ = done_;
    last_ = now;
    callback_(done_, total_);
}

void ProgressReporter::done() {
    if (callback_ && reported_ != done_) {
        reported_ = done_;
        callback_(done_, total_);
    }
}

Expected<BlobRecord> scan_fd(int fd, std::string path, DigestAlgorithm algorithm, const ScanOptions& options,
                             const std::function<void(std::size_t)>& on_read) {
    struct stat info {};
    if (fstat(fd, &info) != 0) {
        return make_error(Errc::io_error, path + ": cannot stat: " + std::strerror(errno));
    }
    if (!S_ISREG(info.st_mode)) return make_error(Errc::unsafe_path, path + ": not a regular file");

    BlobScanner scanner(path, algorithm, static_cast<std::uint64_t>(info.st_size), options);
    auto buffer = std::make_unique_for_overwrite<std::uint8_t[]>(kReadChunkBytes);
    for (;;) {
        const ssize_t got = ::read(fd, buffer.get(), kReadChunkBytes);
        if (got < 0) {
            if (errno == EINTR) continue;
            return make_error(Errc::io_error, path + ": read error: " + std::strerror(errno));
        }
        if (got == 0) break;
        scanner.feed(buffer.get(), static_cast<std::size_t>(got));
        if (on_read) on_read(static_cast<std::size_t>(got));
    }
    return scanner.finish();
}

}  // namespace edgeverify::reader

namespace edgeverify {

Expected<BlobRecord> scan_blob_fd(int fd, std::string path, DigestAlgorithm algorithm,
                                  const ScanOptions& options) {
    return reader::scan_fd(fd, std::move(path), algorithm, options, nullptr);
}

}  // namespace edgeverify
