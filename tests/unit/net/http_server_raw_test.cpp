// HttpServer against a raw libuv TCP client: pipelined requests answered in order, and a request
// whose headers never finish closed by the header timeout.
#include <doctest/doctest.h>

#include <optional>

#include "edgeverify/net/http_server.hpp"
#include "net_test_support.hpp"

using namespace edgeverify;
using namespace edgeverify::net;
using edgeverify::net::test::run_until;

namespace {

// Connects to 127.0.0.1:port, writes `bytes`, collects everything read until EOF.
struct RawClient {
    uv_tcp_t tcp{};
    uv_connect_t connect{};
    uv_write_t write{};
    std::string bytes;
    std::string received;
    bool ended = false;

    RawClient(uv_loop_t* loop, std::uint16_t port, std::string request) : bytes(std::move(request)) {
        uv_tcp_init(loop, &tcp);
        tcp.data = this;
        connect.data = this;
        sockaddr_in address{};
        uv_ip4_addr("127.0.0.1", port, &address);
        uv_tcp_connect(&connect, &tcp, reinterpret_cast<const sockaddr*>(&address), [](uv_connect_t* c, int status) {
            auto* self = static_cast<RawClient*>(c->data);
            if (status < 0) {
                self->ended = true;
                return;
            }
            uv_buf_t buffer = uv_buf_init(self->bytes.data(), static_cast<unsigned>(self->bytes.size()));
            uv_write(&self->write, reinterpret_cast<uv_stream_t*>(&self->tcp), &buffer, 1, nullptr);
            uv_read_start(
                reinterpret_cast<uv_stream_t*>(&self->tcp),
                [](uv_handle_t*, std::size_t, uv_buf_t* b) { *b = uv_buf_init(new char[4096], 4096); },
                [](uv_stream_t* s, ssize_t n, const uv_buf_t* b) {
                    auto* me = static_cast<RawClient*>(s->data);
                    if (n > 0) me->received.append(b->base, static_cast<std::size_t>(n));
                    if (n < 0) me->ended = true;
                    delete[] b->base;
                });
        });
    }
    void close() { uv_close(reinterpret_cast<uv_handle_t*>(&tcp), nullptr); }
};

void stop(uv_loop_t* loop, HttpServer& server) {
    bool stopped = false;
    server.stop([&] { stopped = true; });
    REQUIRE(run_until(loop, [&] { return stopped; }));
}

}  // namespace

TEST_CASE("server: pipelined requests are answered in order, the last one closing") {
    uv_loop_t loop;
    uv_loop_init(&loop);
    auto server = HttpServer::start(&loop, {}, [](HttpRequest request, Respond respond) {
        respond(HttpResponse{200, "", {}, request.target, true});
    });
    REQUIRE(server.has_value());
    RawClient client(&loop, (*server)->port(),
                     "GET /one HTTP/1.1\r\nHost: x\r\n\r\nGET /two HTTP/1.1\r\nHost: x\r\n\r\n"
                     "GET /three HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    REQUIRE(run_until(&loop, [&] { return client.ended; }));
    CHECK(client.received ==
          "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n/one"
          "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n/two"
          "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 6\r\n\r\n/three");
    client.close();
    stop(&loop, **server);
    CHECK(uv_loop_close(&loop) == 0);
}

TEST_CASE("server: headers that never finish are closed by the header timeout; garbage gets 400") {
    uv_loop_t loop;
    uv_loop_init(&loop);
    HttpServerConfig config;
    config.header_timeout = std::chrono::milliseconds(200);
    std::optional<Error> dropped;
    config.on_connection_error = [&](const Error& e) { dropped = e; };
    auto server = HttpServer::start(&loop, config, [](HttpRequest, Respond respond) {
        respond(HttpResponse{200, "", {}, "", true});
    });
    REQUIRE(server.has_value());
    RawClient slow(&loop, (*server)->port(), "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ");
    REQUIRE(run_until(&loop, [&] { return slow.ended; }, 3000));
    CHECK(slow.received.empty());
    REQUIRE(dropped.has_value());
    CHECK(dropped->message == "HTTP request headers not received within the header timeout");
    RawClient garbage(&loop, (*server)->port(), "\x16\x03\x01 not http\r\n\r\n");
    REQUIRE(run_until(&loop, [&] { return garbage.ended; }));
    CHECK(garbage.received.rfind("HTTP/1.1 400 Bad Request\r\n", 0) == 0);
    CHECK(garbage.received.find("HPE_INVALID_METHOD") != std::string::npos);
    slow.close();
    garbage.close();
    stop(&loop, **server);
    CHECK(uv_loop_close(&loop) == 0);
}
