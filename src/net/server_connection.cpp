// ServerConnection: reads, decrypts and frames requests, hands each to the handler, writes the
// answer; 413/431/400 for refused requests, then closes.
#include "server_connection.hpp"

#include "uv_stream_io.hpp"

namespace edgeverify::net {

struct Respond::Exchange {
    std::weak_ptr<ServerConnection> connection;
    PeerCertificate peer;
    bool keep_alive = true;
    bool answered = false;
};

void Respond::operator()(HttpResponse response) const {
    if (!exchange_ || exchange_->answered) return;
    exchange_->answered = true;
    if (auto connection = exchange_->connection.lock())
        connection->answer(std::move(response), exchange_->keep_alive);
}

const PeerCertificate& Respond::peer() const { return exchange_->peer; }

ServerConnection::ServerConnection(uv_loop_t* loop, ServerSide& side)
    : side_(side), parser_(side.config->request_limits) {
    uv_tcp_init(loop, &tcp_);
    uv_timer_init(loop, &timer_);
    tcp_.data = this;
    timer_.data = this;
}

void ServerConnection::begin() {
    if (side_.tls) {
        auto session = TlsSession::create(side_.tls, "");
        if (!session) {
            report(session.error());
            return close();
        }
        tls_ = std::move(*session);
    }
    arm_timer(side_.config->header_timeout);
    uv_read_start(stream(), &alloc_read_buffer, &ServerConnection::on_read);
}

void ServerConnection::report(const Error& error) {
    if (side_.config->on_connection_error) side_.config->on_connection_error(error);
}

void ServerConnection::arm_timer(std::chrono::milliseconds timeout) {
    uv_timer_start(&timer_, &ServerConnection::on_timeout, static_cast<uint64_t>(timeout.count()), 0);
}

void ServerConnection::on_timeout(uv_timer_t* timer) {
    auto* self = static_cast<ServerConnection*>(timer->data);
    self->report(make_error(Errc::io_error, self->parser_.headers_complete()
                                                ? "HTTP request body not received within the body timeout"
                                                : "HTTP request headers not received within the header timeout"));
    self->close();
}

void ServerConnection::on_read(uv_stream_t* stream, ssize_t nread, const uv_buf_t* buffer) {
    std::unique_ptr<char[]> owned(buffer->base);
    auto* self = static_cast<ServerConnection*>(stream->data);
    if (self->closing_ || nread == 0) return;
    if (nread < 0) return self->close();  // EOF or reset: nothing to answer
    self->receive(std::string_view(buffer->base, static_cast<std::size_t>(nread)));
}

void ServerConnection::receive(std::string_view bytes) {
    if (!tls_) {
        unparsed_.append(bytes);
        return process();
    }
    tls_->receive(bytes);
    if (!tls_->handshake_done()) {
        auto done = tls_->handshake();
        if (!done) {
            report(done.error());
            // The alert goes out before the close (uv_close would cancel a queued write).
            return write_stream(stream(), tls_->take_outgoing(), [](uv_stream_t* written, int) {
                static_cast<ServerConnection*>(written->data)->close();
            });
        }
        write_stream(stream(), tls_->take_outgoing());
        if (!*done) return;
        const TlsPeer peer = tls_->peer();
        peer_ = PeerCertificate{peer.subject, peer.sha256_fingerprint};
    }
    if (auto ok = tls_->read(unparsed_); !ok) {
        report(ok.error());
        return close();
    }
    if (tls_->peer_closed() && unparsed_.empty()) return close();
    process();
}

void ServerConnection::process() {
    while (!busy_ && !closing_ && !unparsed_.empty()) {
        auto used = parser_.feed(unparsed_);
        if (!used) return refuse(used.error());
        unparsed_.erase(0, *used);
        if (parser_.expects_continue() && !continue_sent_) {
            continue_sent_ = true;
            send("HTTP/1.1 100 Continue\r\n\r\n", false);
        }
        if (parser_.headers_complete() && !parser_.complete() && !body_timer_armed_) {
            body_timer_armed_ = true;
            arm_timer(side_.config->body_timeout);
        }
        if (parser_.complete()) {
            HttpRequest request = *parser_.take();
            busy_ = true;
            body_timer_armed_ = false;
            continue_sent_ = false;
            uv_timer_stop(&timer_);
            uv_read_stop(stream());  // no more bytes buffered while the handler works
            auto exchange = std::make_shared<Respond::Exchange>();
            exchange->connection = weak_from_this();
            exchange->peer = peer_;
            exchange->keep_alive = request.keep_alive;
            auto keep = shared_from_this();  // the handler may answer (and close) synchronously
            (*side_.handler)(std::move(request), Respond(std::move(exchange)));
            continue;
        }
        if (*used == 0) break;
    }
}

void ServerConnection::answer(HttpResponse response, bool request_keep_alive) {
    if (closing_) return;
    response.keep_alive = response.keep_alive && request_keep_alive && !side_.stopping;
    const bool keep_alive = response.keep_alive;
    send(serialize_response(response), !keep_alive);
    if (!keep_alive) return;
    busy_ = false;
    arm_timer(side_.config->header_timeout);
    uv_read_start(stream(), &alloc_read_buffer, &ServerConnection::on_read);
    process();  // a pipelined request may already be buffered
}

void ServerConnection::refuse(const Error& error) {
    report(error);
    const std::string& text = error.message;
    const int status = text.rfind("413 ", 0) == 0 ? 413 : text.rfind("431 ", 0) == 0 ? 431 : 400;
    busy_ = true;  // nothing more is read from this connection
    uv_read_stop(stream());
    send(serialize_response(HttpResponse{status, "", {{"Content-Type", "text/plain"}}, text + "\n", false}), true);
}

void ServerConnection::send(std::string bytes, bool then_close) {
    if (tls_) {
        if (auto ok = tls_->write(bytes); !ok) {
            report(ok.error());
            return close();
        }
        bytes = tls_->take_outgoing();
    }
    if (!then_close) return write_stream(stream(), std::move(bytes));
    write_stream(stream(), std::move(bytes), [](uv_stream_t* written, int) {
        static_cast<ServerConnection*>(written->data)->close();
    });
}

void ServerConnection::close() {
    if (closing_) return;
    closing_ = true;
    auto on_handle_closed = [](uv_handle_t* handle) {
        auto* self = static_cast<ServerConnection*>(handle->data);
        if (--self->open_handles_ == 0) self->side_.on_closed(self);
    };
    uv_close(reinterpret_cast<uv_handle_t*>(&timer_), on_handle_closed);
    uv_close(reinterpret_cast<uv_handle_t*>(&tcp_), on_handle_closed);
}

}  // namespace edgeverify::net
