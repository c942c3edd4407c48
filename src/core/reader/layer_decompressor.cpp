// Gzip/zstd decompression on a second thread, fed through bounded buffer pools (see the header).
#include "layer_decompressor.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>

namespace edgeverify::reader {

namespace {

// 1 MiB chunks: large enough that locking and wake-ups cost nothing next to inflate and hash,
// small enough that both pools together stay at 8 MiB.
constexpr std::size_t kChunkBytes = 1024 * 1024;
constexpr int kInputChunks = 4;
constexpr int kOutputChunks = 4;

std::string stream_name(Compression compression) {
    return compression == Compression::zstd ? "zstd" : "gzip";
}

}  // namespace

// libarchive's C callbacks, given friend access to the pools.
struct DecompressorCallbacks {
    static la_ssize_t read(struct archive* archive, void* client, const void** buffer) {
        auto* self = static_cast<LayerDecompressor*>(client);
        std::unique_lock lock(self->mutex_);
        // libarchive is done with the previous block once it asks for the next one.
        if (self->input_held_ >= 0) {
            self->input_free_.push_back(self->input_held_);
            self->input_held_ = -1;
            self->changed_.notify_all();
        }
        self->changed_.wait(
            lock, [&] { return self->abort_ || !self->input_full_.empty() || self->input_closed_; });
        if (self->abort_) {
            archive_set_error(archive, ECANCELED, "stream abandoned");
            return -1;
        }
        if (self->input_full_.empty()) return 0;  // end of input
        self->input_held_ = self->input_full_.front();
        self->input_full_.pop_front();
        const auto& chunk = self->input_[static_cast<std::size_t>(self->input_held_)];
        *buffer = chunk.data.get();
        return static_cast<la_ssize_t>(chunk.size);
    }
};

LayerDecompressor::LayerDecompressor(Compression compression, std::uint64_t max_uncompressed_bytes, Sink sink)
    : compression_(compression), max_uncompressed_bytes_(max_uncompressed_bytes), sink_(std::move(sink)) {}

LayerDecompressor::~LayerDecompressor() {
    if (thread_.joinable()) {
        {
            std::lock_guard lock(mutex_);
            abort_ = true;
        }
        changed_.notify_all();
        thread_.join();
    }
}

Status LayerDecompressor::start() {
    input_.resize(kInputChunks);
    for (int i = 0; i < kInputChunks; ++i) {
        input_[static_cast<std::size_t>(i)].data =
            std::make_unique_for_overwrite<std::uint8_t[]>(kChunkBytes);
        input_free_.push_back(i);
    }
    output_.resize(kOutputChunks);
    for (int i = 0; i < kOutputChunks; ++i) {
        output_[static_cast<std::size_t>(i)].data =
            std::make_unique_for_overwrite<std::uint8_t[]>(kChunkBytes);
        output_free_.push_back(i);
    }
    try {
        thread_ = std::thread([this] { run(); });
    } catch (const std::system_error& e) {
        stopped_ = true;
        return make_error(Errc::internal, std::string("cannot start the decompression thread: ") + e.what());
    }
    return {};
}

bool LayerDecompressor::deliver_output(std::unique_lock<std::mutex>& lock) {
    bool delivered = false;
    while (!output_full_.empty()) {
        const int index = output_full_.front();
        output_full_.pop_front();
        lock.unlock();
        const auto& chunk = output_[static_cast<std::size_t>(index)];
        sink_(chunk.data.get(), chunk.size);
        lock.lock();
        output_free_.push_back(index);
        changed_.notify_all();
        delivered = true;
    }
    return delivered;
}

void LayerDecompressor::submit_filling() {
    std::unique_lock lock(mutex_);
    input_full_.push_back(input_filling_);
    input_filling_ = -1;
    changed_.notify_all();
    deliver_output(lock);  // keep the output side moving while the input side is not blocked
}

void LayerDecompressor::feed(const std::uint8_t* data, std::size_t length) {
    while (length > 0) {
        if (input_filling_ < 0) {
            std::unique_lock lock(mutex_);
            for (;;) {
                if (deliver_output(lock)) continue;
                if (stopped_) return;  // nothing will read the rest: drop it
                if (!input_free_.empty()) break;
                changed_.wait(lock);
            }
            input_filling_ = input_free_.back();
            input_free_.pop_back();
            input_[static_cast<std::size_t>(input_filling_)].size = 0;
        }
        auto& chunk = input_[static_cast<std::size_t>(input_filling_)];
        const std::size_t take = std::min(length, kChunkBytes - chunk.size);
        std::memcpy(chunk.data.get() + chunk.size, data, take);
        chunk.size += take;
        data += take;
        length -= take;
        if (chunk.size == kChunkBytes) submit_filling();
    }
}

std::optional<Error> LayerDecompressor::finish() {
    if (finished_) return error_;
    finished_ = true;
    if (!thread_.joinable()) return error_;
    std::unique_lock lock(mutex_);
    if (input_filling_ >= 0) {
        if (input_[static_cast<std::size_t>(input_filling_)].size > 0) {
            input_full_.push_back(input_filling_);
        } else {
            input_free_.push_back(input_filling_);
        }
        input_filling_ = -1;
    }
    input_closed_ = true;
    changed_.notify_all();
    for (;;) {
        if (deliver_output(lock)) continue;
        if (stopped_) break;
        changed_.wait(lock);
    }
    lock.unlock();
    thread_.join();
    return error_;
}

void LayerDecompressor::run() {
    std::optional<Error> error;
    std::uint64_t produced = 0;
    const std::string name = stream_name(compression_);

    struct archive* archive = archive_read_new();
    if (archive == nullptr) {
        error = make_error(Errc::internal, "cannot allocate a " + name + " decompressor");
    } else {
        archive_read_support_format_raw(archive);
        if (compression_ == Compression::zstd) {
            archive_read_support_filter_zstd(archive);
        } else {
            archive_read_support_filter_gzip(archive);
        }
        struct archive_entry* entry = nullptr;
        int status = archive_read_open(archive, this, nullptr, &DecompressorCallbacks::read, nullptr);
        if (status == ARCHIVE_OK) status = archive_read_next_header(archive, &entry);
        const int expected_filter =
            compression_ == Compression::zstd ? ARCHIVE_FILTER_ZSTD : ARCHIVE_FILTER_GZIP;
        if (status == ARCHIVE_EOF) {
            // An empty decompressed stream: nothing to deliver.
        } else if (status != ARCHIVE_OK && status != ARCHIVE_WARN) {
            const char* message = archive_error_string(archive);
            error = make_error(Errc::layer_malformed,
                               name + " stream: " + (message != nullptr ? message : "cannot be decoded"));
        } else if (archive_filter_code(archive, 0) != expected_filter) {
            error = make_error(Errc::layer_malformed, name + " stream: invalid " + name + " header");
        } else {
            for (;;) {
                int index = -1;
                {
                    std::unique_lock lock(mutex_);
                    changed_.wait(lock, [&] { return abort_ || !output_free_.empty(); });
                    if (abort_) break;
                    index = output_free_.back();
                    output_free_.pop_back();
                }
                auto& chunk = output_[static_cast<std::size_t>(index)];
                const la_ssize_t got = archive_read_data(archive, chunk.data.get(), kChunkBytes);
                if (got <= 0 || produced + static_cast<std::uint64_t>(got) > max_uncompressed_bytes_) {
                    if (got < 0) {
                        const char* message = archive_error_string(archive);
                        error =
                            make_error(Errc::layer_malformed,
                                       name + " stream: " + (message != nullptr ? message : "corrupt data"));
                    } else if (got > 0) {
                        error = make_error(Errc::limit_exceeded, "layer decompresses beyond " +
                                                                     std::to_string(max_uncompressed_bytes_) +
                                                                     " bytes (--max-layer-size)");
                    }
                    std::lock_guard lock(mutex_);
                    output_free_.push_back(index);
                    break;
                }
                produced += static_cast<std::uint64_t>(got);
                chunk.size = static_cast<std::size_t>(got);
                std::lock_guard lock(mutex_);
                output_full_.push_back(index);
                changed_.notify_all();
            }
        }
        archive_read_free(archive);
    }

    std::lock_guard lock(mutex_);
    error_ = std::move(error);
    stopped_ = true;
    changed_.notify_all();
}

}  // namespace edgeverify::reader
