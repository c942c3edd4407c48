// parse_url: the base URLs the uploader and server configuration accept, and those refused.
#include <doctest/doctest.h>

#include "edgeverify/net/http.hpp"

using namespace edgeverify;
using namespace edgeverify::net;

TEST_CASE("parse_url: accepted forms") {
    struct Case {
        const char* url;
        bool tls;
        const char* host;
        int port;
        const char* path;
    };
    const Case cases[] = {
        {"https://fleet.example.com", true, "fleet.example.com", 443, "/"},
        {"http://localhost", false, "localhost", 80, "/"},
        {"https://localhost:8443/api/v1/reports", true, "localhost", 8443, "/api/v1/reports"},
        {"HTTPS://127.0.0.1:1/", true, "127.0.0.1", 1, "/"},
        {"https://[::1]:65535/x?y=1", true, "::1", 65535, "/x?y=1"},
        {"http://[fe80::1]", false, "fe80::1", 80, "/"},
        {"https://host?q=1", true, "host", 443, "/?q=1"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.url);
        auto url = parse_url(c.url);
        REQUIRE(url.has_value());
        CHECK(url->tls == c.tls);
        CHECK(url->host == c.host);
        CHECK(url->port == c.port);
        CHECK(url->path == c.path);
    }
}

TEST_CASE("parse_url: refused forms are config errors naming the URL and the reason") {
    struct Case {
        const char* url;
        const char* reason;
    };
    const Case cases[] = {
        {"ftp://host/", "scheme 'ftp' is not https or http"},
        {"host:443", "no scheme"},
        {"https://user:pw@host/", "userinfo"},
        {"https://host/#frag", "fragments"},
        {"https://:443/", "empty host"},
        {"https:///path", "empty host"},
        {"https://host:0/", "port '0'"},
        {"https://host:65536/", "port '65536'"},
        {"https://host:/", "port ''"},
        {"https://host:8x/", "port '8x'"},
        {"https://host:-1/", "port '-1'"},
        {"https://[::1/", "unterminated IPv6"},
        {"https://[not-v6]/", "is not an IPv6 address"},
        {"https://[::1]x/", "unexpected text after the IPv6 address"},
        {"https://ho%73t/", "characters outside"},
        {"https://host/a b", "space, control or non-ASCII"},
        {"https://host/a\r\nX: y", "space, control or non-ASCII"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.url);
        auto url = parse_url(c.url);
        REQUIRE_FALSE(url.has_value());
        CHECK(url.error().code == Errc::config);
        CHECK(url.error().message.find(c.reason) != std::string::npos);
        CHECK(url.error().message.rfind("URL '", 0) == 0);
    }
}
