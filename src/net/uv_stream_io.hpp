// Small libuv stream helpers shared by the HTTP client and server.
#pragma once

#include <uv.h>

#include <string>

namespace edgeverify::net {

// Read buffers: new[]-allocated here, owned (and deleted) by the read callback.
void alloc_read_buffer(uv_handle_t* handle, std::size_t suggested, uv_buf_t* buffer);

// Queues `bytes` on `stream` (a copy kept until written). Write errors surface as a read error
// or EOF on the same stream, so they are not reported here. `written` (optional) runs after.
void write_stream(uv_stream_t* stream, std::string bytes, void (*written)(uv_stream_t*, int) = nullptr);

}  // namespace edgeverify::net
