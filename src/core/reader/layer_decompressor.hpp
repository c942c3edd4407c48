// The second stage of the layer pipeline: a thread that inflates a gzip or zstd stream (libarchive
// raw format) while the reading thread keeps reading and hashing. Chunks travel through bounded
// pools of reused buffers, so memory stays fixed whatever the layer size.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "edgeverify/error.hpp"
#include "edgeverify/oci.hpp"

namespace edgeverify::reader {

class LayerDecompressor {
public:
    // Receives decompressed bytes; always called on the thread that calls feed() and finish().
    using Sink = std::function<void(const std::uint8_t* data, std::size_t length)>;

    LayerDecompressor(Compression compression, std::uint64_t max_uncompressed_bytes, Sink sink);
    // Abandons the stream (if finish() was not called) and joins the thread.
    ~LayerDecompressor();
    LayerDecompressor(const LayerDecompressor&) = delete;
    LayerDecompressor& operator=(const LayerDecompressor&) = delete;

    // Starts the thread. Fails only when a thread cannot be created.
    Status start();
    // Compressed bytes, in any chunking. Hands decompressed output that is ready to the sink.
    // Once the decompressor has stopped (end of stream, error, limit) input is dropped.
    void feed(const std::uint8_t* data, std::size_t length);
    // Ends the input, delivers the remaining output, joins the thread. The error, if any, is a
    // corrupt stream (layer_malformed) or the decompressed-size limit (limit_exceeded).
    std::optional<Error> finish();

private:
    struct Chunk {
        std::unique_ptr<std::uint8_t[]> data;
        std::size_t size = 0;
    };

    void run();
    void submit_filling();
    // With the lock held: hands queued output to the sink (unlocking around it). Returns whether
    // anything was delivered.
    bool deliver_output(std::unique_lock<std::mutex>& lock);
    friend struct DecompressorCallbacks;

    Compression compression_;
    std::uint64_t max_uncompressed_bytes_;
    Sink sink_;

    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<Chunk> input_;
    std::vector<int> input_free_;
    std::deque<int> input_full_;
    int input_filling_ = -1;  // owned by the feeding thread
    int input_held_ = -1;     // owned by libarchive until its next read callback
    bool input_closed_ = false;
    bool abort_ = false;
    std::vector<Chunk> output_;
    std::vector<int> output_free_;
    std::deque<int> output_full_;
    bool stopped_ = false;  // the decompressor thread has finished (end, error or limit)
    std::optional<Error> error_;
    std::thread thread_;
    bool finished_ = false;
};

}  // namespace edgeverify::reader
