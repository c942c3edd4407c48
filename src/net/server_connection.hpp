// One accepted connection of HttpServer: TLS, request framing, timeouts, one exchange at a time.
#pragma once

#include <uv.h>

#include <memory>
#include <string>

#include "edgeverify/net/http_server.hpp"
#include "tls_session.hpp"

namespace edgeverify::net {

struct ServerSide {
    const HttpServerConfig* config = nullptr;
    const HttpHandler* handler = nullptr;
    std::shared_ptr<TlsConfig> tls;
    bool stopping = false;
    std::function<void(class ServerConnection*)> on_closed;  // both handles closed
};

class ServerConnection : public std::enable_shared_from_this<ServerConnection> {
public:
    ServerConnection(uv_loop_t* loop, ServerSide& side);
    uv_stream_t* stream() { return reinterpret_cast<uv_stream_t*>(&tcp_); }
    // After uv_accept succeeded: start TLS, reading and the header timer.
    void begin();
    void close();
    void answer(HttpResponse response, bool request_keep_alive);

private:
    static void on_read(uv_stream_t* stream, ssize_t nread, const uv_buf_t* buffer);
    static void on_timeout(uv_timer_t* timer);
    void receive(std::string_view bytes);
    void process();
    void send(std::string bytes, bool then_close);
    void refuse(const Error& error);
    void arm_timer(std::chrono::milliseconds timeout);
    void report(const Error& error);

    uv_tcp_t tcp_{};
    uv_timer_t timer_{};
    ServerSide& side_;
    std::unique_ptr<TlsSession> tls_;
    HttpRequestParser parser_;
    std::string unparsed_;  // plaintext received and not yet framed (bounded: reading stops while busy)
    PeerCertificate peer_;
    int open_handles_ = 2;
    bool busy_ = false;  // a request is with the handler
    bool closing_ = false;
    bool body_timer_armed_ = false;
    bool continue_sent_ = false;
};

}  // namespace edgeverify::net
