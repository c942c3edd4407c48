// HttpClient and HttpServer limits on a real loop: timeouts, 413, the connection cap, cancel,
// asynchronous answers and configuration errors.
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

std::unique_ptr<HttpServer> plain_server(uv_loop_t* loop, HttpServerConfig config, HttpHandler handler) {
    auto server = HttpServer::start(loop, std::move(config), std::move(handler));
    REQUIRE(server.has_value());
    return std::move(*server);
}

std::unique_ptr<HttpClient> plain_client(uv_loop_t* loop, std::uint16_t port, int timeout_ms = 5000) {
    HttpClientConfig config;
    config.url = "http://127.0.0.1:" + std::to_string(port);
    config.timeout = std::chrono::milliseconds(timeout_ms);
    auto client = HttpClient::create(loop, config);
    REQUIRE(client.has_value());
    return std::move(*client);
}

Expected<HttpResponse> exchange(uv_loop_t* loop, HttpClient& client, HttpRequest request) {
    std::optional<Expected<HttpResponse>> result;
    int calls = 0;
    client.send(std::move(request), [&](Expected<HttpResponse> r) {
        ++calls;
        result.emplace(std::move(r));
    });
    REQUIRE(run_until(loop, [&] { return result.has_value(); }));
    CHECK(calls == 1);
    return std::move(*result);
}

void close_all(uv_loop_t* loop, std::vector<HttpClient*> clients, HttpServer* server) {
    int pending = static_cast<int>(clients.size()) + (server ? 1 : 0);
    for (auto* client : clients) client->close([&] { --pending; });
    if (server) server->stop([&] { --pending; });
    REQUIRE(run_until(loop, [&] { return pending == 0; }));
}

void ok_handler(HttpRequest, Respond respond) { respond(HttpResponse{200, "", {}, "ok", true}); }

}  // namespace

TEST_CASE("client: a server that accepts and never answers times out with the limit named") {
    Loop l;
    uv_tcp_t listener;
    uv_tcp_init(&l.loop, &listener);
    sockaddr_in address{};
    uv_ip4_addr("127.0.0.1", 0, &address);
    REQUIRE(uv_tcp_bind(&listener, reinterpret_cast<const sockaddr*>(&address), 0) == 0);
    static uv_tcp_t accepted;  // the silent side of the one connection
    REQUIRE(uv_listen(reinterpret_cast<uv_stream_t*>(&listener), 8, [](uv_stream_t* server, int) {
                uv_tcp_init(server->loop, &accepted);
                uv_accept(server, reinterpret_cast<uv_stream_t*>(&accepted));
            }) == 0);
    int length = sizeof address;
    uv_tcp_getsockname(&listener, reinterpret_cast<sockaddr*>(&address), &length);
    auto client = plain_client(&l.loop, ntohs(address.sin_port), 300);
    const uint64_t start = uv_now(&l.loop);
    auto result = exchange(&l.loop, *client, HttpRequest{"GET", "/", {}, "", true});
    REQUIRE_FALSE(result.has_value());
    CHECK(result.error().code == Errc::io_error);
    CHECK(result.error().message.find("timed out after 300 ms") != std::string::npos);
    CHECK(uv_now(&l.loop) - start >= 290);
    close_all(&l.loop, {client.get()}, nullptr);
    uv_close(reinterpret_cast<uv_handle_t*>(&accepted), nullptr);
    uv_close(reinterpret_cast<uv_handle_t*>(&listener), nullptr);
}

TEST_CASE("client: nothing listening is io_error naming the address") {
    Loop l;
    auto server = plain_server(&l.loop, {}, ok_handler);
    const std::uint16_t port = server->port();
    close_all(&l.loop, {}, server.get());
    auto client = plain_client(&l.loop, port);
    auto result = exchange(&l.loop, *client, HttpRequest{"GET", "/", {}, "", true});
    REQUIRE_FALSE(result.has_value());
    CHECK(result.error().code == Errc::io_error);
    CHECK(result.error().message == "http://127.0.0.1:" + std::to_string(port) + ": cannot connect: connection refused");
    close_all(&l.loop, {client.get()}, nullptr);
}

TEST_CASE("server: a body over max_body_bytes is answered 413 and the connection closed") {
    Loop l;
    HttpServerConfig config;
    config.request_limits.max_body_bytes = 1000;
    int handled = 0;
    auto server = plain_server(&l.loop, config, [&](HttpRequest, Respond respond) {
        ++handled;
        respond(HttpResponse{200, "", {}, "", true});
    });
    auto client = plain_client(&l.loop, server->port());
    auto result = exchange(&l.loop, *client, HttpRequest{"POST", "/big", {}, std::string(2000, 'x'), true});
    REQUIRE(result.has_value());
    CHECK(result->status == 413);
    CHECK_FALSE(result->keep_alive);
    CHECK(result->body.find("over max_body_bytes (1000)") != std::string::npos);
    CHECK(handled == 0);
    close_all(&l.loop, {client.get()}, server.get());
}

TEST_CASE("server: an oversized header block is answered 431") {
    Loop l;
    HttpServerConfig config;
    config.request_limits.max_header_bytes = 512;
    auto server = plain_server(&l.loop, config, ok_handler);
    auto client = plain_client(&l.loop, server->port());
    auto result = exchange(&l.loop, *client, HttpRequest{"GET", "/", {{"X-Big", std::string(600, 'h')}}, "", true});
    REQUIRE(result.has_value());
    CHECK(result->status == 431);
    close_all(&l.loop, {client.get()}, server.get());
}

TEST_CASE("server: connections over max_connections are closed without an answer") {
    Loop l;
    HttpServerConfig config;
    config.max_connections = 1;
    std::optional<Error> refused;
    config.on_connection_error = [&](const Error& e) { refused = e; };
    auto server = plain_server(&l.loop, config, ok_handler);
    auto first = plain_client(&l.loop, server->port());
    auto second = plain_client(&l.loop, server->port());
    REQUIRE(exchange(&l.loop, *first, HttpRequest{"GET", "/", {}, "", true}).has_value());
    auto result = exchange(&l.loop, *second, HttpRequest{"GET", "/", {}, "", true});
    REQUIRE_FALSE(result.has_value());
    CHECK(result.error().code == Errc::io_error);
    REQUIRE(refused.has_value());
    CHECK(refused->code == Errc::limit_exceeded);
    CHECK(refused->message == "connection refused: max_connections (1) reached");
    close_all(&l.loop, {first.get(), second.get()}, server.get());
}

TEST_CASE("server: a handler may answer later; the client waits for it") {
    Loop l;
    uv_timer_t later;
    uv_timer_init(&l.loop, &later);
    std::optional<Respond> saved;
    auto server = plain_server(&l.loop, {}, [&](HttpRequest, Respond respond) {
        saved = respond;
        later.data = &saved;
        uv_timer_start(&later, [](uv_timer_t* t) {
            auto& pending = *static_cast<std::optional<Respond>*>(t->data);
            (*pending)(HttpResponse{202, "", {}, "later", true});
            (*pending)(HttpResponse{500, "", {}, "second answer is ignored", true});
        }, 100, 0);
    });
    auto client = plain_client(&l.loop, server->port());
    auto result = exchange(&l.loop, *client, HttpRequest{"GET", "/", {}, "", true});
    REQUIRE(result.has_value());
    CHECK(result->status == 202);
    CHECK(result->body == "later");
    uv_close(reinterpret_cast<uv_handle_t*>(&later), nullptr);
    saved.reset();
    close_all(&l.loop, {client.get()}, server.get());
}

TEST_CASE("client: close() cancels a request in flight exactly once and closes every handle") {
    Loop l;
    std::optional<Respond> never;
    auto server = plain_server(&l.loop, {}, [&](HttpRequest, Respond respond) { never = respond; });
    auto client = plain_client(&l.loop, server->port());
    std::optional<Expected<HttpResponse>> result;
    int calls = 0;
    client->send(HttpRequest{"GET", "/", {}, "", true}, [&](Expected<HttpResponse> r) {
        ++calls;
        result.emplace(std::move(r));
    });
    REQUIRE(run_until(&l.loop, [&] { return never.has_value(); }));
    std::optional<Expected<HttpResponse>> second;
    client->send(HttpRequest{"GET", "/", {}, "", true}, [&](Expected<HttpResponse> r) { second.emplace(std::move(r)); });
    REQUIRE(second.has_value());
    CHECK(second->error().code == Errc::usage);
    close_all(&l.loop, {client.get()}, server.get());
    CHECK(calls == 1);
    REQUIRE(result.has_value());
    CHECK(result->error().code == Errc::io_error);
    CHECK(result->error().message.find(": cancelled") != std::string::npos);
    (*never)(HttpResponse{200, "", {}, "after stop: ignored", true});
}

TEST_CASE("configuration errors name the file or the pairing") {
    Loop l;
    HttpClientConfig config;
    config.url = "https://localhost:1";
    config.ca_file = "/nonexistent/ca.pem";
    auto missing = HttpClient::create(&l.loop, config);
    REQUIRE_FALSE(missing.has_value());
    CHECK(missing.error().code == Errc::config);
    CHECK(missing.error().message == "CA file '/nonexistent/ca.pem' is not a readable regular file");
    config.ca_file = test_pki().path("ca.pem");
    config.client_cert_file = test_pki().path("client.pem");
    auto unpaired = HttpClient::create(&l.loop, config);
    REQUIRE_FALSE(unpaired.has_value());
    CHECK(unpaired.error().message.find("a certificate needs its key") == 0);
    config.client_key_file = test_pki().path("server.key");
    auto mismatched = HttpClient::create(&l.loop, config);
    REQUIRE_FALSE(mismatched.has_value());
    CHECK(mismatched.error().message.find("does not match certificate") != std::string::npos);
    config.client_cert_file = config.client_key_file = "";
    config.ca_file = test_pki().path("ca.key");
    auto not_a_cert = HttpClient::create(&l.loop, config);
    REQUIRE_FALSE(not_a_cert.has_value());
    CHECK(not_a_cert.error().code == Errc::config);
    HttpServerConfig server_config;
    server_config.host = "localhost";
    auto by_name = HttpServer::start(&l.loop, server_config, ok_handler);
    REQUIRE_FALSE(by_name.has_value());
    CHECK(by_name.error().message == "listen address 'localhost' is not an IP address");
    uv_run(&l.loop, UV_RUN_NOWAIT);
}
