// HTTP/1.1 message helpers: header lookup, serialization and base-URL parsing.
#include <arpa/inet.h>

#include <algorithm>
#include <cctype>

#include "edgeverify/net/http.hpp"

namespace edgeverify::net {
namespace {

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

// No CR, LF or NUL reaches the wire from a field: they would split or end the header block.
std::string clean(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        if (c == '\r' || c == '\n' || c == '\0') c = ' ';
    return out;
}

const char* reason_for(int status) {
    switch (status) {
        case 100: return "Continue";
        case 200: return "OK";
        case 201: return "Created";
        case 202: return "Accepted";
        case 204: return "No Content";
        case 207: return "Multi-Status";
        case 400: return "Bad Request";
        case 401: return "Unauthorized";
        case 403: return "Forbidden";
        case 404: return "Not Found";
        case 405: return "Method Not Allowed";
        case 408: return "Request Timeout";
        case 409: return "Conflict";
        case 413: return "Content Too Large";
        case 422: return "Unprocessable Content";
        case 429: return "Too Many Requests";
        case 431: return "Request Header Fields Too Large";
        case 500: return "Internal Server Error";
        case 503: return "Service Unavailable";
        default: return "Status";
    }
}

void append_headers(std::string& out, const HttpHeaders& headers, const std::string& body, bool keep_alive) {
    for (const auto& [name, value] : headers) {
        if (iequals(name, "Content-Length") || iequals(name, "Transfer-Encoding")) continue;
        if (!keep_alive && iequals(name, "Connection")) continue;
        out += clean(name) + ": " + clean(value) + "\r\n";
    }
    if (!keep_alive) out += "Connection: close\r\n";
    out += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
    out += body;
}

Error bad_url(std::string_view url, const std::string& why) {
    return make_error(Errc::config, "URL '" + clean(url) + "': " + why);
}

bool host_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_';
}

}  // namespace

std::optional<std::string_view> find_header(const HttpHeaders& headers, std::string_view name) {
    for (const auto& [key, value] : headers)
        if (iequals(key, name)) return std::string_view(value);
    return std::nullopt;
}

std::string serialize_request(const HttpRequest& request, std::string_view host) {
    std::string out = clean(request.method) + " " + clean(request.target.empty() ? "/" : request.target) +
                      " HTTP/1.1\r\n";
    if (!host.empty() && !find_header(request.headers, "Host")) out += "Host: " + clean(host) + "\r\n";
    append_headers(out, request.headers, request.body, request.keep_alive);
    return out;
}

std::string serialize_response(const HttpResponse& response) {
    std::string out = "HTTP/1.1 " + std::to_string(response.status) + " " +
                      clean(response.reason.empty() ? reason_for(response.status) : response.reason) + "\r\n";
    append_headers(out, response.headers, response.body, response.keep_alive);
    return out;
}

Expected<Url> parse_url(std::string_view url) {
    Url parsed;
    std::string_view rest;
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos) return bad_url(url, "no scheme (expected https:// or http://)");
    const std::string_view scheme = url.substr(0, scheme_end);
    if (iequals(scheme, "https")) {
        parsed.tls = true;
        parsed.port = 443;
    } else if (iequals(scheme, "http")) {
        parsed.tls = false;
        parsed.port = 80;
    } else {
        return bad_url(url, "scheme '" + clean(scheme) + "' is not https or http");
    }
    rest = url.substr(scheme_end + 3);
    for (char c : rest)
        if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7f)
            return bad_url(url, "contains a space, control or non-ASCII character");
    if (rest.find('#') != std::string_view::npos) return bad_url(url, "fragments (#) are not allowed");
    const auto authority_end = std::min(rest.find('/'), rest.find('?'));
    const std::string_view authority = rest.substr(0, authority_end);
    if (authority.find('@') != std::string_view::npos) return bad_url(url, "userinfo (user@) is not allowed");
    std::string_view port_text;
    bool has_port = false;
    if (!authority.empty() && authority.front() == '[') {
        const auto close = authority.find(']');
        if (close == std::string_view::npos) return bad_url(url, "unterminated IPv6 address '['");
        parsed.host = std::string(authority.substr(1, close - 1));
        in6_addr address{};
        if (inet_pton(AF_INET6, parsed.host.c_str(), &address) != 1)
            return bad_url(url, "'" + parsed.host + "' is not an IPv6 address");
        const std::string_view after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') return bad_url(url, "unexpected text after the IPv6 address");
            has_port = true;
            port_text = after.substr(1);
        }
    } else {
        const auto colon = authority.find(':');
        parsed.host = std::string(authority.substr(0, colon));
        if (colon != std::string_view::npos) {
            has_port = true;
            port_text = authority.substr(colon + 1);
        }
        if (!std::all_of(parsed.host.begin(), parsed.host.end(), host_char))
            return bad_url(url, "host '" + parsed.host + "' has characters outside [A-Za-z0-9._-]");
    }
    if (parsed.host.empty()) return bad_url(url, "empty host");
    if (has_port) {
        if (port_text.empty() || port_text.size() > 5 ||
            !std::all_of(port_text.begin(), port_text.end(), [](char c) { return c >= '0' && c <= '9'; }))
            return bad_url(url, "port '" + std::string(port_text) + "' is not a number from 1 to 65535");
        const unsigned long port = std::stoul(std::string(port_text));
        if (port == 0 || port > 65535)
            return bad_url(url, "port '" + std::string(port_text) + "' is not a number from 1 to 65535");
        parsed.port = static_cast<std::uint16_t>(port);
    }
    parsed.path = authority_end == std::string_view::npos ? "/" : std::string(rest.substr(authority_end));
    if (parsed.path.front() == '?') parsed.path.insert(0, "/");
    return parsed;
}

}  // namespace edgeverify::net
