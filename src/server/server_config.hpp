// server.json: the configuration of edgeverify-server (docs/server.md, key by key). A strict
// loader: an unknown key or a bad value is a config error naming the file and the JSON path.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "edgeverify/error.hpp"
#include "edgeverify/limits.hpp"

namespace edgeverify::server {

inline constexpr std::string_view kDefaultServerConfigPath = "/etc/edgeverify/server.json";

struct OperatorTokenEntry {
    std::string name;
    std::array<std::uint8_t, 32> sha256{};  // of the token; the token itself is never in the config
};

struct ServerConfig {
    std::string listen_host = "127.0.0.1";
    std::uint16_t listen_port = 8443;
    std::string tls_certificate;  // PEM chain; with tls_key: HTTPS
    std::string tls_key;
    std::string tls_client_ca;  // set: devices must present a client certificate chaining to it
    std::string database = "sqlite:/var/lib/edgeverify-server/fleet.db";
    std::vector<OperatorTokenEntry> operator_tokens;
    bool enrollment_auto_accept = false;
    std::int64_t silent_after_seconds = 3600;
    std::size_t max_body_bytes = limits::kHttpMaxBodyBytes;
    std::size_t max_connections = limits::kHttpServerMaxConnections;
    std::uint32_t header_timeout_ms = limits::kHttpServerHeaderTimeoutMs;
    std::uint32_t body_timeout_ms = limits::kHttpServerBodyTimeoutMs;
    bool metrics_require_token = false;
    std::string dashboard_dir = "/usr/share/edgeverify-server/dashboard";
};

// `origin` names the file in errors ("/etc/edgeverify/server.json: limits.maxBodyBytes: ...").
Expected<ServerConfig> parse_server_config(std::string_view json, std::string_view origin);
// Reads and parses the file; a missing or unreadable file is a config error naming it.
Expected<ServerConfig> load_server_config(const std::string& path);

}  // namespace edgeverify::server
