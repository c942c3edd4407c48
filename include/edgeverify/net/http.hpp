// HTTP/1.1 messages and their framing (libhttp-parser, called only in src/net), shared by the
// agent's uploader and the fleet server. Parsers are incremental and bounded: every limit below
// is named, documented in docs/limits.md, and reported when hit.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "edgeverify/error.hpp"
#include "edgeverify/limits.hpp"

namespace edgeverify::net {

// Limits of one message. A header block over max_header_bytes -> limit_exceeded ("431"); a body
// over max_body_bytes (declared by Content-Length or reached while reading chunks) ->
// limit_exceeded whose message starts with "413" so a server can answer 413 before reading it.
struct HttpLimits {
    std::size_t max_header_bytes = limits::kHttpMaxHeaderBytes;
    std::size_t max_headers = limits::kHttpMaxHeaders;
    std::size_t max_body_bytes = limits::kHttpMaxBodyBytes;
};

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

// First header named `name` (ASCII case-insensitive), or nullopt.
std::optional<std::string_view> find_header(const HttpHeaders& headers, std::string_view name);

struct HttpRequest {
    std::string method;  // "GET", "POST", ...
    std::string target;  // origin-form: "/api/v1/reports?x=1"
    HttpHeaders headers;
    std::string body;
    bool keep_alive = true;  // from the version and Connection header (parsed requests)
};

struct HttpResponse {
    int status = 0;
    std::string reason;
    HttpHeaders headers;
    std::string body;
    bool keep_alive = true;
};

// Serialization. Content-Length is always set from the body (never chunked; a caller's
// Content-Length or Transfer-Encoding header is dropped); Host comes from `host` unless the
// request names one (empty `host`: none); Date/Server (responses) are the caller's to add when
// wanted. CR, LF and NUL in any field are replaced by spaces: no header injection. keep_alive
// false adds "Connection: close".
std::string serialize_request(const HttpRequest& request, std::string_view host);
std::string serialize_response(const HttpResponse& response);

// Incremental parser of one message at a time on a connection. feed() consumes bytes and
// returns how many it used; when a message completes, take() yields it and the parser is ready
// for the next (keep-alive, pipelining: bytes after a complete message stay unconsumed until
// take()). Malformed framing -> schema_violation naming the libhttp-parser error; limits above.
class HttpRequestParser {
public:
    explicit HttpRequestParser(HttpLimits limits = {});
    ~HttpRequestParser();
    HttpRequestParser(const HttpRequestParser&) = delete;
    HttpRequestParser& operator=(const HttpRequestParser&) = delete;

    Expected<std::size_t> feed(std::string_view bytes);
    bool complete() const;
    bool headers_complete() const;            // the request line and headers are in
    // The headers are in, carry "Expect: 100-continue" and the body has not started: a server
    // answers "100 Continue" (curl waits a second for it before sending a large body).
    bool expects_continue() const;
    std::optional<HttpRequest> take();        // the complete message, parser reset

private:
    struct State;
    std::unique_ptr<State> state_;
};

class HttpResponseParser {
public:
    explicit HttpResponseParser(HttpLimits limits = {});
    ~HttpResponseParser();
    HttpResponseParser(const HttpResponseParser&) = delete;
    HttpResponseParser& operator=(const HttpResponseParser&) = delete;

    Expected<std::size_t> feed(std::string_view bytes);
    // The peer closed: completes a response framed by connection close; a response cut short
    // -> io_error ("connection closed before the response was complete").
    Status finish();
    bool complete() const;
    std::optional<HttpResponse> take();

private:
    struct State;
    std::unique_ptr<State> state_;
};

// "https://host:port/path" or "http://...". Host may be a name, an IPv4 address or a bracketed
// IPv6 address; the port defaults to 443/80; the path to "/". Userinfo, fragments and other
// schemes -> config error naming the URL.
struct Url {
    bool tls = true;
    std::string host;  // without brackets
    std::uint16_t port = 443;
    std::string path;  // origin-form target, "/" at least
};
Expected<Url> parse_url(std::string_view url);

}  // namespace edgeverify::net
