// libhttp-parser callbacks behind a bounded, pausing, one-message-at-a-time interface.
#include "http_framing.hpp"

#include <limits>

namespace edgeverify::net::detail {
namespace {

HttpFraming* self(http_parser* parser) { return static_cast<HttpFraming*>(parser->data); }

}  // namespace

HttpFraming::HttpFraming(http_parser_type type, HttpLimits limits) : type_(type), limits_(limits) {
    http_parser_init(&parser_, type_);
    parser_.data = this;
    settings_.on_message_begin = &HttpFraming::on_message_begin;
    settings_.on_url = &HttpFraming::on_url;
    settings_.on_status = &HttpFraming::on_status;
    settings_.on_header_field = &HttpFraming::on_header_field;
    settings_.on_header_value = &HttpFraming::on_header_value;
    settings_.on_headers_complete = &HttpFraming::on_headers_complete;
    settings_.on_body = &HttpFraming::on_body;
    settings_.on_message_complete = &HttpFraming::on_message_complete;
}

Expected<std::size_t> HttpFraming::feed(std::string_view bytes) {
    if (failure_) return *failure_;
    if (complete_ || bytes.empty()) return std::size_t{0};
    const std::size_t used = http_parser_execute(&parser_, &settings_, bytes.data(), bytes.size());
    if (failure_) return *failure_;
    const auto code = static_cast<http_errno>(HTTP_PARSER_ERRNO(&parser_));
    if (parser_.upgrade) {
        failure_ = make_error(Errc::schema_violation, "malformed HTTP message: protocol upgrade not supported");
        return *failure_;
    }
    if (code == HPE_PAUSED) return used;
    if (code == HPE_HEADER_OVERFLOW) {
        failure_ = make_error(Errc::limit_exceeded, "431 HTTP header block too large (libhttp-parser limit)");
        return *failure_;
    }
    if (code != HPE_OK) {
        failure_ = make_error(Errc::schema_violation, std::string("malformed HTTP message: ") +
                                                          http_errno_name(code) + " (" +
                                                          http_errno_description(code) + ")");
        return *failure_;
    }
    return used;
}

Status HttpFraming::finish() {
    if (failure_) return *failure_;
    if (complete_) return {};
    if (started_) {
        // A message framed by the connection's end completes on EOF (zero-length execute).
        http_parser_execute(&parser_, &settings_, nullptr, 0);
        if (failure_) return *failure_;
        if (complete_) return {};
    }
    return make_error(Errc::io_error, started_ ? "connection closed before the response was complete"
                                               : "connection closed before any response");
}

void HttpFraming::reset() {
    method.clear();
    target.clear();
    status = 0;
    reason.clear();
    headers.clear();
    body.clear();
    keep_alive = true;
    header_bytes_ = 0;
    in_value_ = false;
    started_ = false;
    headers_complete_ = false;
    complete_ = false;
    http_parser_pause(&parser_, 0);
}

bool HttpFraming::count_header_bytes(std::size_t length) {
    header_bytes_ += length;
    if (header_bytes_ <= limits_.max_header_bytes) return true;
    failure_ = make_error(Errc::limit_exceeded, "431 HTTP header block over max_header_bytes (" +
                                                    std::to_string(limits_.max_header_bytes) + " bytes)");
    return false;
}

int HttpFraming::on_message_begin(http_parser* parser) {
    self(parser)->started_ = true;
    return 0;
}

int HttpFraming::on_url(http_parser* parser, const char* at, std::size_t length) {
    HttpFraming* framing = self(parser);
    if (!framing->count_header_bytes(length)) return 1;
    framing->target.append(at, length);
    return 0;
}

int HttpFraming::on_status(http_parser* parser, const char* at, std::size_t length) {
    HttpFraming* framing = self(parser);
    if (!framing->count_header_bytes(length)) return 1;
    framing->reason.append(at, length);
    return 0;
}

int HttpFraming::on_header_field(http_parser* parser, const char* at, std::size_t length) {
    HttpFraming* framing = self(parser);
    // ": " and CRLF count too, so a flood of empty headers still reaches the byte limit.
    if (!framing->count_header_bytes(length + 4)) return 1;
    if (framing->headers_complete_) return 0;  // chunked trailers are read and dropped
    if (framing->headers.empty() || framing->in_value_) {
        if (framing->headers.size() >= framing->limits_.max_headers) {
            framing->failure_ = make_error(Errc::limit_exceeded,
                                           "431 HTTP message has more than max_headers (" +
                                               std::to_string(framing->limits_.max_headers) + ") header fields");
            return 1;
        }
        framing->headers.emplace_back();
        framing->in_value_ = false;
    }
    framing->headers.back().first.append(at, length);
    return 0;
}

int HttpFraming::on_header_value(http_parser* parser, const char* at, std::size_t length) {
    HttpFraming* framing = self(parser);
    if (!framing->count_header_bytes(length)) return 1;
    if (framing->headers_complete_) return 0;
    framing->in_value_ = true;
    framing->headers.back().second.append(at, length);
    return 0;
}

int HttpFraming::on_headers_complete(http_parser* parser) {
    HttpFraming* framing = self(parser);
    framing->headers_complete_ = true;
    framing->status = static_cast<int>(parser->status_code);
    if (framing->type_ == HTTP_REQUEST)
        framing->method = http_method_str(static_cast<http_method>(parser->method));
    framing->keep_alive = http_should_keep_alive(parser) != 0;
    const bool has_length = (parser->flags & F_CONTENTLENGTH) != 0 &&
                            parser->content_length != std::numeric_limits<std::uint64_t>::max();
    if (has_length && parser->content_length > framing->limits_.max_body_bytes) {
        framing->failure_ = make_error(
            Errc::limit_exceeded, "413 HTTP body of " + std::to_string(parser->content_length) +
                                      " bytes (Content-Length) over max_body_bytes (" +
                                      std::to_string(framing->limits_.max_body_bytes) + ")");
        return -1;  // 1 and 2 mean "skip body" and "upgrade" to libhttp-parser
    }
    return 0;
}

int HttpFraming::on_body(http_parser* parser, const char* at, std::size_t length) {
    HttpFraming* framing = self(parser);
    if (framing->body.size() + length > framing->limits_.max_body_bytes) {
        framing->failure_ = make_error(Errc::limit_exceeded,
                                       "413 HTTP body over max_body_bytes (" +
                                           std::to_string(framing->limits_.max_body_bytes) + ")");
        return 1;
    }
    framing->body.append(at, length);
    return 0;
}

int HttpFraming::on_message_complete(http_parser* parser) {
    HttpFraming* framing = self(parser);
    framing->complete_ = true;
    framing->keep_alive = http_should_keep_alive(parser) != 0;
    http_parser_pause(parser, 1);  // stop here: the next pipelined message waits for take()
    return 0;
}

}  // namespace edgeverify::net::detail
