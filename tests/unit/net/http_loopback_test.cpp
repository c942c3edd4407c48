// HttpClient against HttpServer on a real libuv loop over loopback TLS, with certificates made
// by the openssl CLI: trust, hostname, client certificates, keep-alive, limits, timeouts.
#include <doctest/doctest.h>

#include <optional>

#include "edgeverify/net/http_client.hpp"
#include "edgeverify/net/http_server.hpp"
#include "net_test_support.hpp"

using namespace edgeverify;
using namespace edgeverify::net;
using edgeverify::net::test::Loop;
using edgeverify::net::test::run_until;
using edgeverify::net::test::test_pki;

namespace {

HttpServerConfig tls_server_config(const char* cert = "server") {
    const auto& pki = test_pki();
    HttpServerConfig config;
    config.cert_file = pki.path(cert) + ".pem";
    config.key_file = pki.path(cert) + ".key";
    return config;
}

HttpClientConfig client_config(std::uint16_t port, const char* ca = "ca.pem") {
    HttpClientConfig config;
    config.url = "https://localhost:" + std::to_string(port);
    config.ca_file = test_pki().path(ca);
    config.timeout = std::chrono::milliseconds(5000);
    return config;
}

// Answers with the method, target, body and the peer certificate's subject and fingerprint.
void echo(HttpRequest request, Respond respond) {
    HttpResponse response{200, "", {{"X-Peer", respond.peer().subject}, {"X-Fingerprint", respond.peer().sha256_fingerprint}},
                          request.method + " " + request.target + " " + request.body, true};
    respond(std::move(response));
}

struct Exchange {
    std::optional<Expected<HttpResponse>> result;
    int calls = 0;
    HttpClient::Callback callback() {
        return [this](Expected<HttpResponse> r) {
            ++calls;
            result.emplace(std::move(r));
        };
    }
};

std::unique_ptr<HttpServer> start_server(uv_loop_t* loop, HttpServerConfig config, HttpHandler handler = echo) {
    auto server = HttpServer::start(loop, std::move(config), std::move(handler));
    REQUIRE(server.has_value());
    return std::move(*server);
}

std::unique_ptr<HttpClient> make_client(uv_loop_t* loop, HttpClientConfig config) {
    auto client = HttpClient::create(loop, std::move(config));
    REQUIRE(client.has_value());
    return std::move(*client);
}

// Runs one request to completion; the client and server stay open.
Expected<HttpResponse> exchange(uv_loop_t* loop, HttpClient& client, HttpRequest request) {
    Exchange ex;
    client.send(std::move(request), ex.callback());
    REQUIRE(run_until(loop, [&] { return ex.result.has_value(); }));
    CHECK(ex.calls == 1);
    return std::move(*ex.result);
}

void shut_down(uv_loop_t* loop, HttpClient* client, HttpServer* server) {
    bool client_closed = client == nullptr, server_stopped = server == nullptr;
    if (client) client->close([&] { client_closed = true; });
    if (server) server->stop([&] { server_stopped = true; });
    REQUIRE(run_until(loop, [&] { return client_closed && server_stopped; }));
}

}  // namespace

TEST_CASE("loopback TLS: a request and a keep-alive second request on the same connection") {
    REQUIRE_FALSE(test_pki().dir.empty());
    Loop l;
    auto server = start_server(&l.loop, tls_server_config());
    CHECK(server->port() != 0);
    auto client = make_client(&l.loop, client_config(server->port()));
    auto first = exchange(&l.loop, *client, HttpRequest{"POST", "/api/v1/reports", {}, "[1,2]", true});
    REQUIRE(first.has_value());
    CHECK(first->status == 200);
    CHECK(first->body == "POST /api/v1/reports [1,2]");
    CHECK(find_header(first->headers, "X-Peer") == std::optional<std::string_view>(""));
    CHECK(server->connection_count() == 1);
    auto second = exchange(&l.loop, *client, HttpRequest{"GET", "/healthz", {}, "", true});
    REQUIRE(second.has_value());
    CHECK(second->body == "GET /healthz ");
    CHECK(server->connection_count() == 1);  // reused, not a second connection
    shut_down(&l.loop, client.get(), server.get());
}

TEST_CASE("loopback TLS: a server certificate from an untrusted CA is permission_denied naming the CA file") {
    Loop l;
    std::optional<Error> server_side;
    auto config = tls_server_config();
    config.on_connection_error = [&](const Error& e) { server_side = e; };
    auto server = start_server(&l.loop, config);
    auto client = make_client(&l.loop, client_config(server->port(), "other-ca.pem"));
    auto result = exchange(&l.loop, *client, HttpRequest{"GET", "/", {}, "", true});
    REQUIRE_FALSE(result.has_value());
    CHECK(result.error().code == Errc::permission_denied);
    CHECK(result.error().message.find("server certificate not trusted") != std::string::npos);
    CHECK(result.error().message.find(test_pki().path("other-ca.pem")) != std::string::npos);
    CHECK(result.error().message.find("https://localhost:") == 0);
    shut_down(&l.loop, client.get(), server.get());
}

TEST_CASE("loopback TLS: a certificate for another host name is a hostname mismatch") {
    Loop l;
    auto server = start_server(&l.loop, tls_server_config("elsewhere"));
    auto client = make_client(&l.loop, client_config(server->port()));
    auto result = exchange(&l.loop, *client, HttpRequest{"GET", "/", {}, "", true});
    REQUIRE_FALSE(result.has_value());
    CHECK(result.error().code == Errc::permission_denied);
    CHECK(result.error().message.find("hostname mismatch: the server certificate does not name 'localhost'") !=
          std::string::npos);
    shut_down(&l.loop, client.get(), server.get());
}

TEST_CASE("loopback TLS: a required client certificate is verified and shown to the handler") {
    Loop l;
    auto config = tls_server_config();
    config.client_ca_file = test_pki().path("ca.pem");
    auto server = start_server(&l.loop, config);
    auto with_cert = client_config(server->port());
    with_cert.client_cert_file = test_pki().path("client.pem");
    with_cert.client_key_file = test_pki().path("client.key");
    auto client = make_client(&l.loop, with_cert);
    auto result = exchange(&l.loop, *client, HttpRequest{"GET", "/whoami", {}, "", true});
    REQUIRE(result.has_value());
    CHECK(result->status == 200);
    CHECK(find_header(result->headers, "X-Peer") == std::optional<std::string_view>("CN=device-1"));
    const auto fingerprint = find_header(result->headers, "X-Fingerprint");
    REQUIRE(fingerprint.has_value());
    CHECK(fingerprint->size() == 64);
    // The same fingerprint as openssl computes over the DER.
    const std::string out = test_pki().path("fp.txt");
    REQUIRE(std::system(("openssl x509 -in '" + test_pki().path("client.pem") +
                         "' -outform DER | sha256sum | cut -c1-64 > '" + out + "'").c_str()) == 0);
    std::string expected;
    std::ifstream(out) >> expected;
    CHECK(*fingerprint == expected);
    shut_down(&l.loop, client.get(), server.get());
}

TEST_CASE("loopback TLS: a required client certificate that is missing fails the handshake on both sides") {
    Loop l;
    std::optional<Error> server_side;
    auto config = tls_server_config();
    config.client_ca_file = test_pki().path("ca.pem");
    config.on_connection_error = [&](const Error& e) { server_side = e; };
    auto server = start_server(&l.loop, config);
    auto client = make_client(&l.loop, client_config(server->port()));
    auto result = exchange(&l.loop, *client, HttpRequest{"GET", "/", {}, "", true});
    REQUIRE_FALSE(result.has_value());
    CAPTURE(result.error().message);
    CHECK(result.error().code == Errc::permission_denied);
    CHECK(result.error().message.find("TLS handshake failed") != std::string::npos);
    REQUIRE(run_until(&l.loop, [&] { return server_side.has_value(); }));
    CHECK(server_side->code == Errc::permission_denied);
    CHECK(server_side->message.find("client certificate required but none was presented") != std::string::npos);
    shut_down(&l.loop, client.get(), server.get());
}

TEST_CASE("loopback TLS: a client certificate from another CA is refused by the server") {
    Loop l;
    std::optional<Error> server_side;
    auto config = tls_server_config();
    config.client_ca_file = test_pki().path("ca.pem");
    config.on_connection_error = [&](const Error& e) { server_side = e; };
    auto server = start_server(&l.loop, config);
    auto stranger = client_config(server->port());
    stranger.client_cert_file = test_pki().path("stranger.pem");
    stranger.client_key_file = test_pki().path("stranger.key");
    auto client = make_client(&l.loop, stranger);
    auto result = exchange(&l.loop, *client, HttpRequest{"GET", "/", {}, "", true});
    REQUIRE_FALSE(result.has_value());
    CHECK(result.error().code == Errc::permission_denied);
    REQUIRE(run_until(&l.loop, [&] { return server_side.has_value(); }));
    CHECK(server_side->message.find("client certificate not trusted") != std::string::npos);
    shut_down(&l.loop, client.get(), server.get());
}
