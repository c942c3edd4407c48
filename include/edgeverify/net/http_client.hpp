// An HTTP/1.1 client on a libuv loop, over TLS (mbedTLS) or plain TCP: what the agent's
// uploader uses to send reports to the fleet server. One request at a time per client; the
// connection is kept alive between requests when the server allows it.
#pragma once

#include <uv.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "edgeverify/error.hpp"
#include "edgeverify/net/http.hpp"

namespace edgeverify::net {

struct HttpClientConfig {
    std::string url;             // base URL, parse_url(); requests name their own target
    std::string ca_file;         // PEM bundle of the CAs the server's certificate must chain to;
                                 // required for https (no system store is consulted)
    std::string client_cert_file;  // optional PEM client certificate (with client_key_file)
    std::string client_key_file;
    std::chrono::milliseconds timeout{30000};  // connect + TLS handshake + request + response
    HttpLimits response_limits{};
};

class HttpClient {
public:
    // Loads the CA, client certificate and key now: a missing or malformed file -> config error
    // naming it; a client certificate without its key (or the reverse) -> config error.
    static Expected<std::unique_ptr<HttpClient>> create(uv_loop_t* loop, HttpClientConfig config);
    virtual ~HttpClient() = default;

    using Callback = std::function<void(Expected<HttpResponse>)>;
    // Sends `request` (Host and Content-Length added) and calls `done` exactly once, on the loop
    // thread, with the response (any status) or an error: io_error for DNS, connect, reset,
    // timeout ("timed out after N ms") and a response cut short; permission_denied for a TLS
    // handshake failure, naming the reason (certificate not trusted, hostname mismatch, client
    // certificate refused); schema_violation / limit_exceeded for a malformed or oversized
    // response. A second send() while one is in flight is a usage error (delivered to `done`).
    virtual void send(HttpRequest request, Callback done) = 0;

    // Aborts a request in flight (its callback gets io_error "cancelled") and closes the
    // connection; `closed` runs on the loop thread once every libuv handle is closed, after which
    // the client may be destroyed. The loop must keep running until then.
    virtual void close(std::function<void()> closed) = 0;
};

}  // namespace edgeverify::net
