// server.json (src/server/server_config.*): defaults, every key read, and each bad value refused
// with the file and the JSON path in the message.
#include <doctest/doctest.h>

#include "server/server_config.hpp"

using namespace edgeverify;
using namespace edgeverify::server;

namespace {

std::string refusal(std::string_view json) {
    auto config = parse_server_config(json, "server.json");
    if (config) return "accepted";
    CHECK(config.error().code == Errc::config);
    return config.error().message;
}

const std::string kHash(64, 'a');

}  // namespace

TEST_CASE("server config: an empty object gives the documented defaults") {
    auto config = parse_server_config("{}", "server.json");
    REQUIRE(config);
    CHECK(config->listen_host == "127.0.0.1");
    CHECK(config->listen_port == 8443);
    CHECK(config->tls_certificate.empty());
    CHECK(config->database == "sqlite:/var/lib/edgeverify-server/fleet.db");
    CHECK(config->operator_tokens.empty());
    CHECK_FALSE(config->enrollment_auto_accept);
    CHECK(config->silent_after_seconds == 3600);
    CHECK(config->max_body_bytes == limits::kHttpMaxBodyBytes);
    CHECK(config->max_connections == limits::kHttpServerMaxConnections);
    CHECK(config->header_timeout_ms == limits::kHttpServerHeaderTimeoutMs);
    CHECK(config->body_timeout_ms == limits::kHttpServerBodyTimeoutMs);
    CHECK_FALSE(config->metrics_require_token);
    CHECK(config->dashboard_dir == "/usr/share/edgeverify-server/dashboard");
}

TEST_CASE("server config: every key is read") {
    auto config = parse_server_config(R"({
        "listen": {"host": "::1", "port": 9443},
        "tls": {"certificate": "/etc/s.pem", "key": "/etc/s.key", "clientCa": "/etc/ca.pem"},
        "database": "postgresql://fleet@db/fleet",
        "operatorTokens": [{"name": "alice", "sha256": ")" + kHash + R"("}],
        "enrollment": {"autoAccept": true},
        "silentAfterSeconds": 600,
        "limits": {"maxBodyBytes": 65536, "maxConnections": 10, "headerTimeoutMs": 500, "bodyTimeoutMs": 700},
        "metrics": {"requireToken": true},
        "dashboard": {"dir": "/srv/dash"}})",
                                      "server.json");
    REQUIRE_MESSAGE(config, (config ? "" : config.error().message));
    CHECK(config->listen_host == "::1");
    CHECK(config->listen_port == 9443);
    CHECK(config->tls_certificate == "/etc/s.pem");
    CHECK(config->tls_key == "/etc/s.key");
    CHECK(config->tls_client_ca == "/etc/ca.pem");
    CHECK(config->database == "postgresql://fleet@db/fleet");
    REQUIRE(config->operator_tokens.size() == 1);
    CHECK(config->operator_tokens[0].name == "alice");
    CHECK(config->operator_tokens[0].sha256[0] == 0xaa);
    CHECK(config->enrollment_auto_accept);
    CHECK(config->silent_after_seconds == 600);
    CHECK(config->max_body_bytes == 65536);
    CHECK(config->max_connections == 10);
    CHECK(config->header_timeout_ms == 500);
    CHECK(config->body_timeout_ms == 700);
    CHECK(config->metrics_require_token);
    CHECK(config->dashboard_dir == "/srv/dash");
}

TEST_CASE("server config: bad values name the file and the JSON path") {
    CHECK(refusal(R"({"listn": {}})") ==
          "server.json: listn: unknown key (expected one of: listen, tls, database, operatorTokens, enrollment, "
          "silentAfterSeconds, limits, metrics, dashboard)");
    CHECK(refusal(R"({"listen": {"host": "localhost"}})") ==
          "server.json: listen.host: must be an IPv4 or IPv6 address (no name)");
    CHECK(refusal(R"({"listen": {"port": 70000}})") == "server.json: listen.port: must be an integer from 0 to 65535");
    CHECK(refusal(R"({"listen": []})") == "server.json: listen: must be an object");
    CHECK(refusal(R"({"tls": {"certificate": "/a.pem"}})") == "server.json: tls.key: required with tls.certificate");
    CHECK(refusal(R"({"tls": {"key": "relative.key", "certificate": "/a"}})") ==
          "server.json: tls.key: must be an absolute path");
    CHECK(refusal(R"({"tls": {"clientCa": "/ca.pem"}})") ==
          "server.json: tls.clientCa: needs tls.certificate and tls.key (client certificates need HTTPS)");
    CHECK(refusal(R"({"database": "mysql://x"})") ==
          "server.json: database: must be sqlite:/ABSOLUTE/PATH or a postgresql:// (postgres://) URI");
    CHECK(refusal(R"({"database": "sqlite:fleet.db"})") ==
          "server.json: database: must be sqlite:/ABSOLUTE/PATH or a postgresql:// (postgres://) URI");
    CHECK(refusal(R"({"operatorTokens": {}})") == "server.json: operatorTokens: must be an array of {name, sha256}");
    CHECK(refusal(R"({"operatorTokens": [{"name": "a"}]})") == "server.json: operatorTokens[0].sha256: required");
    CHECK(refusal(R"({"operatorTokens": [{"name": "a", "sha256": ")" + std::string(64, 'A') + R"("}]})") ==
          "server.json: operatorTokens[0].sha256: must be 64 lowercase hex digits (edgeverify-server operator-token "
          "new prints it)");
    CHECK(refusal(R"({"operatorTokens": [{"name": "a", "sha256": ")" + kHash + R"(", "token": "x"}]})") ==
          "server.json: operatorTokens[0].token: unknown key (expected one of: name, sha256)");
    CHECK(refusal(R"({"operatorTokens": [{"name": "a b", "sha256": ")" + kHash + R"("}]})") ==
          "server.json: operatorTokens[0].name: must be 1 to 64 letters, digits, '.', '_', '-' or '@'");
    CHECK(refusal(R"({"operatorTokens": [{"name": "a", "sha256": ")" + kHash + R"("}, {"name": "b", "sha256": ")" +
                  kHash + R"("}]})") == "server.json: operatorTokens[1].sha256: the same token is listed twice");
    CHECK(refusal(R"({"operatorTokens": [1]})") == "server.json: operatorTokens[0]: must be an object");
    CHECK(refusal(R"({"enrollment": {"autoAccept": "yes"}})") == "server.json: enrollment.autoAccept: must be true or false");
    CHECK(refusal(R"({"silentAfterSeconds": 10})") ==
          "server.json: silentAfterSeconds: must be an integer from 60 to 31536000");
    CHECK(refusal(R"({"limits": {"maxBodyBytes": 1000}})") ==
          "server.json: limits.maxBodyBytes: must be an integer from 65536 to 268435456");
    CHECK(refusal(R"({"limits": {"maxConnections": 0}})") ==
          "server.json: limits.maxConnections: must be an integer from 1 to 65536");
    CHECK(refusal(R"({"limits": {"headerTimeoutMs": -1}})") ==
          "server.json: limits.headerTimeoutMs: must be an integer from 100 to 600000");
    CHECK(refusal(R"({"limits": {"bodyTimeoutMs": 1.5}})") ==
          "server.json: limits.bodyTimeoutMs: must be an integer from 100 to 3600000");
    CHECK(refusal(R"({"metrics": {"requireToken": 1}})") == "server.json: metrics.requireToken: must be true or false");
    CHECK(refusal(R"({"dashboard": {"dir": ""}})") == "server.json: dashboard.dir: must be an absolute path");
    CHECK(refusal("[]") == "server.json: must be a JSON object");
}

TEST_CASE("server config: a file that is not JSON or not there is a config error naming it") {
    auto broken = parse_server_config("{", "server.json");
    REQUIRE_FALSE(broken);
    CHECK(broken.error().code == Errc::config);
    CHECK(broken.error().message.rfind("server.json", 0) == 0);
    auto missing = load_server_config("/nonexistent/server.json");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == Errc::config);
    CHECK(missing.error().message == "/nonexistent/server.json: cannot open the configuration file");
}
