// An HTTP/1.1 server on a libuv loop, plain or over TLS (mbedTLS), for the fleet server: bounded
// requests (413/431 before the body or the rest of the headers is read), keep-alive, pipelining,
// a cap on connections, timeouts, and an asynchronous handler that may answer later.
#pragma once

#include <uv.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "edgeverify/error.hpp"
#include "edgeverify/limits.hpp"
#include "edgeverify/net/http.hpp"

namespace edgeverify::net {

struct HttpServerConfig {
    std::string host = "127.0.0.1";  // an IPv4 or IPv6 address (no name resolution)
    std::uint16_t port = 0;          // 0: any free port (HttpServer::port() says which)
    std::string cert_file;           // PEM chain and key: both set -> HTTPS, neither -> HTTP
    std::string key_file;
    std::string client_ca_file;  // set: every client must present a certificate chaining to it
    HttpLimits request_limits{};
    std::size_t max_connections = limits::kHttpServerMaxConnections;  // more are accepted and closed
    // Until a request's headers are in (TLS handshake and keep-alive idle time included).
    std::chrono::milliseconds header_timeout{limits::kHttpServerHeaderTimeoutMs};
    // From the end of the headers until the body is in.
    std::chrono::milliseconds body_timeout{limits::kHttpServerBodyTimeoutMs};
    // Told why a connection was dropped (TLS handshake refused, timeout, cap, malformed request).
    std::function<void(const Error&)> on_connection_error;
};

// The verified certificate a TLS client presented; empty strings when none (or plain HTTP).
struct PeerCertificate {
    std::string subject;             // "CN=device-1, O=..." (mbedtls_x509_dn_gets)
    std::string sha256_fingerprint;  // lowercase hex sha256 of the certificate DER
};

// Answers one request. Copyable; the first call sends the response, later calls do nothing, and
// so does a call after the connection has closed (timeout, server stopped). A handler that never
// answers holds its connection until the server stops.
class Respond {
public:
    void operator()(HttpResponse response) const;
    const PeerCertificate& peer() const;
    struct Exchange;
    explicit Respond(std::shared_ptr<Exchange> exchange) : exchange_(std::move(exchange)) {}

private:
    std::shared_ptr<Exchange> exchange_;
};

using HttpHandler = std::function<void(HttpRequest, Respond)>;

class HttpServer {
public:
    // Loads certificates and binds now: bad files -> config error naming them; an address in
    // use or not local -> io_error naming host:port.
    static Expected<std::unique_ptr<HttpServer>> start(uv_loop_t* loop, HttpServerConfig config,
                                                       HttpHandler handler);
    virtual ~HttpServer() = default;

    virtual std::uint16_t port() const = 0;
    virtual std::size_t connection_count() const = 0;
    // Stops listening and closes every connection (requests being answered are dropped);
    // `stopped` runs once every libuv handle is closed, after which the server may be destroyed.
    virtual void stop(std::function<void()> stopped) = 0;
};

}  // namespace edgeverify::net
