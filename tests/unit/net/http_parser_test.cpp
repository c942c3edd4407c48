// HTTP/1.1 framing: requests and responses, hostile framing, limits, pipelining, byte splits.
#include <doctest/doctest.h>

#include <string>

#include "edgeverify/net/http.hpp"

using namespace edgeverify;
using namespace edgeverify::net;

namespace {

const std::string kPost =
    "POST /api/v1/reports?x=1 HTTP/1.1\r\nHost: fleet\r\nContent-Type: application/json\r\n"
    "Content-Length: 11\r\n\r\n{\"a\":\"bcd\"}";

// Feeds everything; returns the error message, or "" once a message is complete.
std::string feed_all(HttpRequestParser& parser, std::string_view bytes) {
    while (!bytes.empty()) {
        auto used = parser.feed(bytes);
        if (!used) return used.error().message;
        bytes.remove_prefix(*used);
        if (parser.complete()) break;
        if (*used == 0) break;
    }
    return "";
}

Error request_error(std::string_view bytes, HttpLimits limits = {}) {
    HttpRequestParser parser(limits);
    while (!bytes.empty()) {
        auto used = parser.feed(bytes);
        if (!used) return used.error();
        bytes.remove_prefix(*used);
        if (*used == 0) break;
    }
    return make_error(Errc::internal, "no error");
}

}  // namespace

TEST_CASE("request parser: a POST with a body and query") {
    HttpRequestParser parser;
    auto used = parser.feed(kPost);
    REQUIRE(used.has_value());
    CHECK(*used == kPost.size());
    REQUIRE(parser.complete());
    auto request = parser.take();
    REQUIRE(request.has_value());
    CHECK(request->method == "POST");
    CHECK(request->target == "/api/v1/reports?x=1");
    CHECK(request->body == "{\"a\":\"bcd\"}");
    CHECK(request->keep_alive);
    CHECK(find_header(request->headers, "content-type") == std::optional<std::string_view>("application/json"));
    CHECK_FALSE(find_header(request->headers, "X-Missing").has_value());
    CHECK_FALSE(parser.complete());
}

TEST_CASE("request parser: split at every byte boundary gives the same message") {
    for (std::size_t cut = 0; cut <= kPost.size(); ++cut) {
        HttpRequestParser parser;
        CAPTURE(cut);
        REQUIRE(feed_all(parser, kPost.substr(0, cut)) == "");
        CHECK(parser.complete() == (cut == kPost.size()));
        REQUIRE(feed_all(parser, kPost.substr(cut)) == "");
        REQUIRE(parser.complete());
        auto request = parser.take();
        CHECK(request->target == "/api/v1/reports?x=1");
        CHECK(request->body == "{\"a\":\"bcd\"}");
        CHECK(request->headers.size() == 3);
    }
}

TEST_CASE("request parser: one byte at a time") {
    HttpRequestParser parser;
    for (char c : kPost) {
        CHECK_FALSE(parser.complete());
        auto used = parser.feed(std::string_view(&c, 1));
        REQUIRE(used.has_value());
        CHECK(*used == 1);
    }
    REQUIRE(parser.complete());
    CHECK(parser.take()->body == "{\"a\":\"bcd\"}");
}

TEST_CASE("request parser: pipelined requests stop at each message end") {
    const std::string two = "GET /a HTTP/1.1\r\nHost: x\r\n\r\n" + kPost;
    HttpRequestParser parser;
    auto used = parser.feed(two);
    REQUIRE(used.has_value());
    CHECK(*used == two.size() - kPost.size());
    REQUIRE(parser.complete());
    CHECK(parser.feed(std::string_view(two).substr(*used)).value() == 0);  // waits for take()
    CHECK(parser.take()->target == "/a");
    auto rest = parser.feed(std::string_view(two).substr(*used));
    REQUIRE(rest.has_value());
    CHECK(*rest == kPost.size());
    CHECK(parser.take()->method == "POST");
}

TEST_CASE("request parser: chunked body is reassembled and trailers are dropped") {
    const std::string chunked =
        "POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nWiki\r\n5\r\npedia\r\n"
        "0\r\nX-Trailer: t\r\n\r\n";
    HttpRequestParser parser;
    REQUIRE(feed_all(parser, chunked) == "");
    REQUIRE(parser.complete());
    auto request = parser.take();
    CHECK(request->body == "Wikipedia");
    CHECK_FALSE(find_header(request->headers, "X-Trailer").has_value());
}

TEST_CASE("request parser: HTTP/1.0 and Connection: close are not keep-alive") {
    HttpRequestParser parser;
    REQUIRE(feed_all(parser, "GET / HTTP/1.0\r\n\r\n") == "");
    CHECK_FALSE(parser.take()->keep_alive);
    HttpRequestParser second;
    REQUIRE(feed_all(second, "GET / HTTP/1.1\r\nConnection: close\r\n\r\n") == "");
    CHECK_FALSE(second.take()->keep_alive);
}

TEST_CASE("request parser: Expect 100-continue is reported before the body") {
    HttpRequestParser parser;
    REQUIRE(feed_all(parser, "POST / HTTP/1.1\r\nExpect: 100-Continue\r\nContent-Length: 3\r\n\r\n") == "");
    CHECK(parser.headers_complete());
    CHECK(parser.expects_continue());
    REQUIRE(feed_all(parser, "abc") == "");
    CHECK_FALSE(parser.expects_continue());
    CHECK(parser.complete());
}

TEST_CASE("request parser: malformed framing is schema_violation naming the parser error") {
    struct Case {
        const char* name;
        std::string bytes;
        const char* error;
    };
    const Case cases[] = {
        {"bad method", "BREW / HTTP/1.1\r\n\r\n", "HPE_INVALID_METHOD"},
        {"bad version", "GET / HTTP/9.x\r\n\r\n", "HPE_INVALID_VERSION"},
        {"bad header token", "GET / HTTP/1.1\r\nBad\x01Header: x\r\n\r\n", "HPE_INVALID_HEADER_TOKEN"},
        {"two content lengths", "POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
         "HPE_UNEXPECTED_CONTENT_LENGTH"},
        {"bad content length", "POST / HTTP/1.1\r\nContent-Length: 1x\r\n\r\n", "HPE_INVALID_CONTENT_LENGTH"},
        {"bad chunk size", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "HPE_INVALID_CHUNK_SIZE"},
        {"binary garbage", std::string("\x16\x03\x01\x02\x00", 5), "HPE_INVALID_METHOD"},
        {"upgrade", "GET / HTTP/1.1\r\nConnection: upgrade\r\nUpgrade: websocket\r\n\r\n", "upgrade not supported"},
    };
    for (const auto& c : cases) {
        const std::string name = c.name;
        CAPTURE(name);
        const Error error = request_error(c.bytes);
        CAPTURE(error.message);
        CHECK(error.code == Errc::schema_violation);
        CHECK(error.message.find(c.error) != std::string::npos);
    }
}

TEST_CASE("request parser: a declared body over the limit is 413 as soon as the headers are in") {
    HttpLimits limits;
    limits.max_body_bytes = 10;
    const Error error = request_error("POST / HTTP/1.1\r\nContent-Length: 11\r\n\r\n", limits);
    CHECK(error.code == Errc::limit_exceeded);
    CHECK(error.message.rfind("413 ", 0) == 0);
    CHECK(error.message.find("11 bytes") != std::string::npos);
}

TEST_CASE("request parser: a chunked body growing over the limit is 413") {
    HttpLimits limits;
    limits.max_body_bytes = 8;
    const Error error = request_error(
        "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabcde\r\n5\r\nfghij\r\n0\r\n\r\n", limits);
    CHECK(error.code == Errc::limit_exceeded);
    CHECK(error.message.rfind("413 ", 0) == 0);
}

TEST_CASE("request parser: an oversized header block or too many headers is 431") {
    HttpLimits limits;
    limits.max_header_bytes = 256;
    const Error big = request_error("GET / HTTP/1.1\r\nX-Big: " + std::string(300, 'a') + "\r\n\r\n", limits);
    CHECK(big.code == Errc::limit_exceeded);
    CHECK(big.message.rfind("431 ", 0) == 0);
    const Error long_target = request_error("GET /" + std::string(300, 'a') + " HTTP/1.1\r\n\r\n", limits);
    CHECK(long_target.message.rfind("431 ", 0) == 0);
    HttpLimits few;
    few.max_headers = 3;
    std::string many = "GET / HTTP/1.1\r\n";
    for (int i = 0; i < 4; ++i) many += "X-" + std::to_string(i) + ": v\r\n";
    const Error count = request_error(many + "\r\n", few);
    CHECK(count.code == Errc::limit_exceeded);
    CHECK(count.message.find("more than max_headers (3)") != std::string::npos);
}

TEST_CASE("request parser: an error sticks; later bytes do not revive the parser") {
    HttpRequestParser parser;
    CHECK_FALSE(parser.feed("NOPE\r\n").has_value());
    auto again = parser.feed("GET / HTTP/1.1\r\n\r\n");
    REQUIRE_FALSE(again.has_value());
    CHECK(again.error().code == Errc::schema_violation);
}

TEST_CASE("response parser: Content-Length, chunked and close-framed responses") {
    HttpResponseParser parser;
    const std::string ok = "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nhi";
    CHECK(parser.feed(ok).value() == ok.size());
    auto response = parser.take();
    REQUIRE(response.has_value());
    CHECK(response->status == 201);
    CHECK(response->reason == "Created");
    CHECK(response->body == "hi");

    REQUIRE(parser.feed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n").has_value());
    CHECK(parser.take()->body == "abc");

    HttpResponseParser close_framed;
    REQUIRE(close_framed.feed("HTTP/1.0 200 OK\r\n\r\nuntil close").has_value());
    CHECK_FALSE(close_framed.complete());
    REQUIRE(close_framed.finish().has_value());
    auto body = close_framed.take();
    CHECK(body->body == "until close");
    CHECK_FALSE(body->keep_alive);
}

TEST_CASE("response parser: a response cut short is io_error") {
    HttpResponseParser parser;
    REQUIRE(parser.feed("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc").has_value());
    auto finished = parser.finish();
    REQUIRE_FALSE(finished.has_value());
    CHECK(finished.error().code == Errc::io_error);
    CHECK(finished.error().message == "connection closed before the response was complete");
    HttpResponseParser nothing;
    CHECK(nothing.finish().error().message == "connection closed before any response");
}

TEST_CASE("response parser: oversized body is limit_exceeded 413, bad status line is schema_violation") {
    HttpLimits limits;
    limits.max_body_bytes = 4;
    HttpResponseParser parser(limits);
    auto big = parser.feed("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n");
    REQUIRE_FALSE(big.has_value());
    CHECK(big.error().code == Errc::limit_exceeded);
    HttpResponseParser bad;
    auto garbage = bad.feed("HTTP/1.1 2x0 OK\r\n\r\n");
    REQUIRE_FALSE(garbage.has_value());
    CHECK(garbage.error().code == Errc::schema_violation);
    CHECK(garbage.error().message.find("HPE_INVALID_STATUS") != std::string::npos);
}

TEST_CASE("serialization: Content-Length from the body, Host, no header injection") {
    HttpRequest request{"POST", "/r", {{"Content-Length", "999"}, {"X-Evil", "a\r\nInjected: 1"}}, "body", false};
    const std::string wire = serialize_request(request, "fleet:8443");
    CHECK(wire ==
          "POST /r HTTP/1.1\r\nHost: fleet:8443\r\nX-Evil: a  Injected: 1\r\nConnection: close\r\n"
          "Content-Length: 4\r\n\r\nbody");
    HttpRequestParser parser;
    REQUIRE(feed_all(parser, wire) == "");
    auto parsed = parser.take();
    CHECK(parsed->body == "body");
    CHECK_FALSE(find_header(parsed->headers, "Injected").has_value());

    HttpResponse response{413, "", {{"Content-Type", "text/plain"}}, "too big", true};
    CHECK(serialize_response(response) ==
          "HTTP/1.1 413 Content Too Large\r\nContent-Type: text/plain\r\nContent-Length: 7\r\n\r\ntoo big");
}
