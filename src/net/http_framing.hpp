// The one wrapper around libhttp-parser: incremental, bounded framing of one HTTP/1.1 message at
// a time, shared by the request and response parsers (http_parser.cpp).
#pragma once

#include <http_parser.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "edgeverify/error.hpp"
#include "edgeverify/net/http.hpp"

namespace edgeverify::net::detail {

class HttpFraming {
public:
    HttpFraming(http_parser_type type, HttpLimits limits);
    HttpFraming(const HttpFraming&) = delete;
    HttpFraming& operator=(const HttpFraming&) = delete;

    // Consumes bytes up to the end of the current message (pauses there).
    Expected<std::size_t> feed(std::string_view bytes);
    // The peer closed the connection (a response framed by close completes here).
    Status finish();
    bool started() const { return started_; }
    bool headers_complete() const { return headers_complete_; }
    bool complete() const { return complete_; }
    // Resets for the next message on the same connection.
    void reset();

    // The message so far (complete once complete()).
    std::string method;
    std::string target;
    int status = 0;
    std::string reason;
    HttpHeaders headers;
    std::string body;
    bool keep_alive = true;

private:
    static int on_message_begin(http_parser* parser);
    static int on_url(http_parser* parser, const char* at, std::size_t length);
    static int on_status(http_parser* parser, const char* at, std::size_t length);
    static int on_header_field(http_parser* parser, const char* at, std::size_t length);
    static int on_header_value(http_parser* parser, const char* at, std::size_t length);
    static int on_headers_complete(http_parser* parser);
    static int on_body(http_parser* parser, const char* at, std::size_t length);
    static int on_message_complete(http_parser* parser);
    bool count_header_bytes(std::size_t length);

    http_parser_type type_;
    HttpLimits limits_;
    http_parser parser_{};
    http_parser_settings settings_{};
    std::optional<Error> failure_;  // set by a callback that refused the message
    std::size_t header_bytes_ = 0;
    bool in_value_ = false;  // the last header callback was a value
    bool started_ = false;
    bool headers_complete_ = false;
    bool complete_ = false;
};

}  // namespace edgeverify::net::detail
