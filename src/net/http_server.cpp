// HttpServer: the listening socket, the connection cap and graceful stop; each connection is a
// ServerConnection.
#include "edgeverify/net/http_server.hpp"

#include <unordered_map>

#include "server_connection.hpp"

namespace edgeverify::net {
namespace {

class Server final : public HttpServer {
public:
    Server(uv_loop_t* loop, HttpServerConfig config, HttpHandler handler)
        : loop_(loop), config_(std::move(config)), handler_(std::move(handler)) {
        side_.config = &config_;
        side_.handler = &handler_;
        side_.on_closed = [this](ServerConnection* connection) {
            connections_.erase(connection);
            maybe_stopped();
        };
        uv_tcp_init(loop_, &listener_);
        listener_.data = this;
    }

    Status listen(std::shared_ptr<TlsConfig> tls) {
        side_.tls = std::move(tls);
        sockaddr_storage address{};
        int rc = uv_ip4_addr(config_.host.c_str(), config_.port, reinterpret_cast<sockaddr_in*>(&address));
        if (rc < 0) rc = uv_ip6_addr(config_.host.c_str(), config_.port, reinterpret_cast<sockaddr_in6*>(&address));
        const std::string where = config_.host + ":" + std::to_string(config_.port);
        if (rc < 0) return make_error(Errc::config, "listen address '" + config_.host + "' is not an IP address");
        rc = uv_tcp_bind(&listener_, reinterpret_cast<const sockaddr*>(&address), 0);
        if (rc == 0) rc = uv_listen(reinterpret_cast<uv_stream_t*>(&listener_), 128, &Server::on_connection);
        if (rc < 0) return make_error(Errc::io_error, "cannot listen on " + where + ": " + uv_strerror(rc));
        int length = sizeof address;
        uv_tcp_getsockname(&listener_, reinterpret_cast<sockaddr*>(&address), &length);
        port_ = ntohs(address.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&address)->sin6_port
                                                    : reinterpret_cast<sockaddr_in*>(&address)->sin_port);
        return {};
    }

    std::uint16_t port() const override { return port_; }
    std::size_t connection_count() const override { return connections_.size(); }

    void stop(std::function<void()> stopped) override {
        if (side_.stopping) return;
        side_.stopping = true;
        stopped_ = std::move(stopped);
        uv_close(reinterpret_cast<uv_handle_t*>(&listener_), [](uv_handle_t* handle) {
            auto* self = static_cast<Server*>(handle->data);
            self->listener_closed_ = true;
            self->maybe_stopped();
        });
        for (auto& [raw, connection] : connections_) connection->close();
    }

private:
    static void on_connection(uv_stream_t* listener, int status) {
        auto* self = static_cast<Server*>(listener->data);
        if (status < 0 || self->side_.stopping) return;
        auto connection = std::make_shared<ServerConnection>(self->loop_, self->side_);
        self->connections_.emplace(connection.get(), connection);
        if (uv_accept(listener, connection->stream()) != 0) return connection->close();
        if (self->connections_.size() > self->config_.max_connections) {
            if (self->config_.on_connection_error)
                self->config_.on_connection_error(make_error(
                    Errc::limit_exceeded, "connection refused: max_connections (" +
                                              std::to_string(self->config_.max_connections) + ") reached"));
            return connection->close();
        }
        connection->begin();
    }

    void maybe_stopped() {
        if (!side_.stopping || !listener_closed_ || !connections_.empty() || !stopped_) return;
        std::exchange(stopped_, nullptr)();
    }

    uv_loop_t* loop_;
    HttpServerConfig config_;
    HttpHandler handler_;
    ServerSide side_;
    uv_tcp_t listener_{};
    std::uint16_t port_ = 0;
    bool listener_closed_ = false;
    std::unordered_map<ServerConnection*, std::shared_ptr<ServerConnection>> connections_;
    std::function<void()> stopped_;
};

}  // namespace

Expected<std::unique_ptr<HttpServer>> HttpServer::start(uv_loop_t* loop, HttpServerConfig config,
                                                        HttpHandler handler) {
    std::shared_ptr<TlsConfig> tls;
    if (!config.cert_file.empty() || !config.key_file.empty()) {
        auto loaded = TlsConfig::server(config.cert_file, config.key_file, config.client_ca_file);
        if (!loaded) return loaded.take_error();
        tls = std::move(*loaded);
    } else if (!config.client_ca_file.empty()) {
        return make_error(Errc::config, "client_ca_file '" + config.client_ca_file + "' needs cert_file and key_file");
    }
    if (!handler) return make_error(Errc::usage, "HttpServer needs a handler");
    auto server = std::make_unique<Server>(loop, std::move(config), std::move(handler));
    if (auto ok = server->listen(std::move(tls)); !ok) {
        // The listener handle was initialized: close it before the server goes away.
        Server* raw = server.release();
        raw->stop([raw] { delete raw; });
        return ok.take_error();
    }
    return std::unique_ptr<HttpServer>(std::move(server));
}

}  // namespace edgeverify::net
