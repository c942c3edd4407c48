// libuv read-buffer allocation and owned-copy writes.
#include "uv_stream_io.hpp"

namespace edgeverify::net {
namespace {

constexpr std::size_t kReadBufferBytes = 64 * 1024;

struct PendingWrite {
    uv_write_t request{};
    std::string bytes;
    void (*written)(uv_stream_t*, int) = nullptr;
};

}  // namespace

void alloc_read_buffer(uv_handle_t*, std::size_t, uv_buf_t* buffer) {
    buffer->base = new char[kReadBufferBytes];
    buffer->len = kReadBufferBytes;
}

void write_stream(uv_stream_t* stream, std::string bytes, void (*written)(uv_stream_t*, int)) {
    if (bytes.empty()) {
        if (written) written(stream, 0);
        return;
    }
    auto* pending = new PendingWrite{};
    pending->bytes = std::move(bytes);
    pending->written = written;
    uv_buf_t buffer = uv_buf_init(pending->bytes.data(), static_cast<unsigned>(pending->bytes.size()));
    const int rc = uv_write(&pending->request, stream, &buffer, 1, [](uv_write_t* request, int status) {
        auto* done = reinterpret_cast<PendingWrite*>(request);
        if (done->written) done->written(request->handle, status);
        delete done;
    });
    if (rc < 0) {
        if (written) written(stream, rc);
        delete pending;
    }
}

}  // namespace edgeverify::net
