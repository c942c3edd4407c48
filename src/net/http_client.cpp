// HttpClient on libuv: resolve, connect (each address in turn), TLS handshake, one request and
// its response, keep-alive reuse; one timer bounds the whole exchange.
#include "edgeverify/net/http_client.hpp"

#include <algorithm>
#include <cstring>
#include <memory>
#include <vector>

#include "tls_session.hpp"
#include "uv_stream_io.hpp"

namespace edgeverify::net {
namespace {

class Client;

struct ClientConnection {
    uv_tcp_t tcp{};
    Client* owner = nullptr;
    std::unique_ptr<TlsSession> tls;
    HttpResponseParser parser;
    bool ready = false;  // connected, handshake done, no request in flight
    explicit ClientConnection(HttpLimits limits) : parser(limits) {}
};

class Client final : public HttpClient {
public:
    Client(uv_loop_t* loop, HttpClientConfig config, Url url, std::shared_ptr<TlsConfig> tls)
        : loop_(loop), config_(std::move(config)), url_(std::move(url)), tls_(std::move(tls)) {
        uv_timer_init(loop_, &timer_);
        timer_.data = this;
        gai_.data = this;
        where_ = (url_.tls ? "https://" : "http://") + host_header();
    }

    void send(HttpRequest request, Callback done) override {
        if (closing_) return done(make_error(Errc::io_error, where_ + ": the client is closed"));
        if (done_) return done(make_error(Errc::usage, where_ + ": send() while a request is in flight"));
        done_ = std::move(done);
        request_bytes_ = serialize_request(request, host_header());
        uv_timer_start(&timer_, &Client::on_timeout, static_cast<uint64_t>(config_.timeout.count()), 0);
        if (conn_ && conn_->ready) return write_request();
        if (!conn_ && !gai_pending_) resolve();
    }

    void close(std::function<void()> closed) override {
        if (closing_) return;
        closing_ = true;
        closed_ = std::move(closed);
        if (done_) fail(make_error(Errc::io_error, where_ + ": cancelled"));
        drop_connection();
        if (gai_pending_) uv_cancel(reinterpret_cast<uv_req_t*>(&gai_));
        uv_close(reinterpret_cast<uv_handle_t*>(&timer_), [](uv_handle_t* handle) {
            auto* self = static_cast<Client*>(handle->data);
            self->timer_closed_ = true;
            self->maybe_closed();
        });
    }

private:
    std::string host_header() const {
        std::string host = url_.host.find(':') != std::string::npos ? "[" + url_.host + "]" : url_.host;
        if (url_.port != (url_.tls ? 443 : 80)) host += ":" + std::to_string(url_.port);
        return host;
    }

    void resolve() {
        addrinfo hints{};
        hints.ai_family = AF_UNSPEC;
        hints.ai_socktype = SOCK_STREAM;
        const std::string port = std::to_string(url_.port);
        const int rc = uv_getaddrinfo(loop_, &gai_, &Client::on_resolved, url_.host.c_str(), port.c_str(), &hints);
        if (rc < 0) return fail(make_error(Errc::io_error, where_ + ": cannot resolve: " + uv_strerror(rc)));
        gai_pending_ = true;
    }

    static void on_resolved(uv_getaddrinfo_t* request, int status, addrinfo* result) {
        auto* self = static_cast<Client*>(request->data);
        self->gai_pending_ = false;
        self->addresses_.clear();
        for (addrinfo* entry = result; entry != nullptr; entry = entry->ai_next) {
            sockaddr_storage address{};
            std::memcpy(&address, entry->ai_addr, std::min<std::size_t>(entry->ai_addrlen, sizeof address));
            self->addresses_.push_back(address);
        }
        uv_freeaddrinfo(result);
        if (self->closing_) return self->maybe_closed();
        if (!self->done_) return;  // timed out meanwhile
        if (status < 0 || self->addresses_.empty())
            return self->fail(make_error(Errc::io_error, self->where_ + ": cannot resolve '" + self->url_.host +
                                                             "': " + (status < 0 ? uv_strerror(status) : "no address")));
        self->next_address_ = 0;
        self->connect_next();
    }

    void connect_next() {
        if (next_address_ >= addresses_.size())
            return fail(make_error(Errc::io_error, where_ + ": cannot connect: " + last_error_));
        auto* conn = new ClientConnection(config_.response_limits);
        conn->owner = this;
        uv_tcp_init(loop_, &conn->tcp);
        conn->tcp.data = conn;
        ++live_connections_;
        conn_ = conn;
        auto* request = new uv_connect_t;
        request->data = conn;
        const int rc = uv_tcp_connect(request, &conn->tcp,
                                      reinterpret_cast<const sockaddr*>(&addresses_[next_address_]), &on_connected);
        if (rc < 0) {
            delete request;
            last_error_ = uv_strerror(rc);
            drop_connection();
            ++next_address_;
            connect_next();
        }
    }

    static void on_connected(uv_connect_t* request, int status) {
        auto* conn = static_cast<ClientConnection*>(request->data);
        delete request;
        Client* self = conn->owner;
        if (conn != self->conn_) return;  // dropped; its close callback frees it
        if (status < 0) {
            self->last_error_ = uv_strerror(status);
            self->drop_connection();
            ++self->next_address_;
            return self->connect_next();
        }
        uv_read_start(reinterpret_cast<uv_stream_t*>(&conn->tcp), &alloc_read_buffer, &Client::on_read);
        if (!self->tls_) {
            conn->ready = true;
            return self->write_request();
        }
        auto session = TlsSession::create(self->tls_, self->url_.host);
        if (!session) return self->fail(session.take_error());
        conn->tls = std::move(*session);
        self->drive_handshake();
    }

    void drive_handshake() {
        auto done = conn_->tls->handshake();
        write_stream(reinterpret_cast<uv_stream_t*>(&conn_->tcp), conn_->tls->take_outgoing());
        if (!done) return fail(make_error(done.error().code, where_ + ": " + done.error().message));
        if (!*done) return;
        conn_->ready = true;
        write_request();
    }

    void write_request() {
        conn_->ready = false;
        if (!conn_->tls) return write_stream(reinterpret_cast<uv_stream_t*>(&conn_->tcp), request_bytes_);
        if (auto ok = conn_->tls->write(request_bytes_); !ok)
            return fail(make_error(Errc::io_error, where_ + ": " + ok.error().message));
        write_stream(reinterpret_cast<uv_stream_t*>(&conn_->tcp), conn_->tls->take_outgoing());
    }

    static void on_read(uv_stream_t* stream, ssize_t nread, const uv_buf_t* buffer) {
        std::unique_ptr<char[]> owned(buffer->base);
        auto* conn = static_cast<ClientConnection*>(stream->data);
        Client* self = conn->owner;
        if (conn != self->conn_ || nread == 0) return;
        if (nread < 0) return self->on_end(nread == UV_EOF ? std::string() : uv_strerror(static_cast<int>(nread)));
        std::string_view bytes(buffer->base, static_cast<std::size_t>(nread));
        if (!conn->tls) return self->on_plaintext(bytes);
        conn->tls->receive(bytes);
        if (!conn->tls->handshake_done()) {
            self->drive_handshake();
            if (self->conn_ != conn || !conn->tls->handshake_done()) return;
        }
        std::string plaintext;
        auto ok = conn->tls->read(plaintext);
        if (!ok) return self->fail(make_error(Errc::io_error, self->where_ + ": " + ok.error().message));
        if (!plaintext.empty()) self->on_plaintext(plaintext);
        if (self->conn_ == conn && conn->tls->peer_closed()) self->on_end({});
    }

    void on_plaintext(std::string_view bytes) {
        if (!done_) return drop_connection();  // nothing asked for: the connection is not usable
        std::size_t offset = 0;
        while (offset < bytes.size()) {
            auto used = conn_->parser.feed(bytes.substr(offset));
            if (!used) return fail(make_error(used.error().code, where_ + ": " + used.error().message));
            offset += *used;
            if (conn_->parser.complete()) {
                HttpResponse response = *conn_->parser.take();
                if (offset < bytes.size() || !response.keep_alive) drop_connection();
                else conn_->ready = true;
                return succeed(std::move(response));
            }
            if (*used == 0) break;
        }
    }

    // The peer closed (error empty) or the connection failed.
    void on_end(const std::string& error) {
        if (!done_) return drop_connection();  // an idle keep-alive connection ended
        if (!error.empty()) return fail(make_error(Errc::io_error, where_ + ": connection failed: " + error));
        if (conn_->tls && !conn_->tls->handshake_done())
            return fail(make_error(Errc::permission_denied,
                                   where_ + ": TLS handshake failed: the server closed the connection during the "
                                            "handshake (a client certificate may be required or refused)"));
        auto finished = conn_->parser.finish();
        if (!finished) return fail(make_error(finished.error().code, where_ + ": " + finished.error().message));
        HttpResponse response = *conn_->parser.take();
        drop_connection();
        succeed(std::move(response));
    }

    static void on_timeout(uv_timer_t* timer) {
        auto* self = static_cast<Client*>(timer->data);
        self->fail(make_error(Errc::io_error, self->where_ + ": timed out after " +
                                                  std::to_string(self->config_.timeout.count()) + " ms"));
    }

    void drop_connection() {
        if (!conn_) return;
        ClientConnection* conn = std::exchange(conn_, nullptr);
        uv_close(reinterpret_cast<uv_handle_t*>(&conn->tcp), [](uv_handle_t* handle) {
            auto* closed = static_cast<ClientConnection*>(handle->data);
            Client* self = closed->owner;
            delete closed;
            --self->live_connections_;
            self->maybe_closed();
        });
    }

    void fail(Error error) {
        drop_connection();
        finish(Expected<HttpResponse>(std::move(error)));
    }

    void succeed(HttpResponse response) { finish(Expected<HttpResponse>(std::move(response))); }

    void finish(Expected<HttpResponse> result) {
        if (!timer_closed_ && !closing_) uv_timer_stop(&timer_);
        Callback done = std::exchange(done_, nullptr);
        if (done) done(std::move(result));
    }

    void maybe_closed() {
        if (!closing_ || !timer_closed_ || gai_pending_ || live_connections_ > 0 || !closed_) return;
        std::exchange(closed_, nullptr)();
    }

    uv_loop_t* loop_;
    HttpClientConfig config_;
    Url url_;
    std::shared_ptr<TlsConfig> tls_;
    std::string where_;
    uv_timer_t timer_{};
    uv_getaddrinfo_t gai_{};
    bool gai_pending_ = false;
    std::vector<sockaddr_storage> addresses_;
    std::size_t next_address_ = 0;
    std::string last_error_ = "no address";
    ClientConnection* conn_ = nullptr;
    int live_connections_ = 0;
    Callback done_;
    std::string request_bytes_;
    bool closing_ = false;
    bool timer_closed_ = false;
    std::function<void()> closed_;
};

}  // namespace

Expected<std::unique_ptr<HttpClient>> HttpClient::create(uv_loop_t* loop, HttpClientConfig config) {
    auto url = parse_url(config.url);
    if (!url) return url.take_error();
    if (config.timeout.count() <= 0)
        return make_error(Errc::config, "HTTP client timeout must be positive (got " +
                                            std::to_string(config.timeout.count()) + " ms)");
    std::shared_ptr<TlsConfig> tls;
    if (url->tls) {
        auto loaded = TlsConfig::client(config.ca_file, config.client_cert_file, config.client_key_file);
        if (!loaded) return loaded.take_error();
        tls = std::move(*loaded);
    }
    return std::unique_ptr<HttpClient>(new Client(loop, std::move(config), std::move(*url), std::move(tls)));
}

}  // namespace edgeverify::net
