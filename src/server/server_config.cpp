// server.json, read strictly (server_config.hpp, docs/server.md): each key is read by one field
// reader that names its JSON path in the error; keys nobody reads are errors.
#include "server/server_config.hpp"

#include <arpa/inet.h>

#include <cstdio>
#include <initializer_list>
#include <memory>

#include "edgeverify/json.hpp"

namespace edgeverify::server {
namespace {

// A config file is a few hundred bytes; this bounds what a mistaken path makes us read.
constexpr std::size_t kMaxServerConfigBytes = 1024 * 1024;

class Fields {
public:
    Fields(std::string_view origin, std::string path, const Json& object)
        : origin_(origin), path_(std::move(path)), object_(object) {}

    std::string name(std::string_view key) const { return path_.empty() ? std::string(key) : path_ + "." + std::string(key); }
    Error error(std::string_view key, std::string_view what) const {
        return make_error(Errc::config, std::string(origin_) + ": " + name(key) + ": " + std::string(what));
    }
    Status only_keys(std::initializer_list<std::string_view> known) const {
        for (const auto& item : object_.items()) {
            bool found = false;
            std::string expected;
            for (auto k : known) {
                found = found || item.key() == k;
                expected += (expected.empty() ? "" : ", ") + std::string(k);
            }
            if (!found) return error(item.key(), "unknown key (expected one of: " + expected + ")");
        }
        return {};
    }
    const Json* find(std::string_view key) const {
        auto it = object_.find(std::string(key));
        return it == object_.end() ? nullptr : &*it;
    }
    // A nested object; nullopt-like empty Fields when absent (reads then change nothing).
    Expected<Fields> object(std::string_view key) const {
        const Json* value = find(key);
        if (!value) return Fields(origin_, name(key), empty_object());
        if (!value->is_object()) return error(key, "must be an object");
        return Fields(origin_, name(key), *value);
    }
    Status read_string(std::string_view key, std::string& out, bool (*valid)(std::string_view), const char* rule) const {
        const Json* value = find(key);
        if (!value) return {};
        if (!value->is_string() || !valid(value->get_ref<const std::string&>())) return error(key, rule);
        out = value->get<std::string>();
        return {};
    }
    Status read_bool(std::string_view key, bool& out) const {
        const Json* value = find(key);
        if (!value) return {};
        if (!value->is_boolean()) return error(key, "must be true or false");
        out = value->get<bool>();
        return {};
    }
    template <class T>
    Status read_integer(std::string_view key, T& out, std::uint64_t min, std::uint64_t max) const {
        const Json* value = find(key);
        if (!value) return {};
        if (!value->is_number_unsigned() || value->get<std::uint64_t>() < min || value->get<std::uint64_t>() > max) {
            return error(key, "must be an integer from " + std::to_string(min) + " to " + std::to_string(max));
        }
        out = static_cast<T>(value->get<std::uint64_t>());
        return {};
    }

private:
    static const Json& empty_object() {
        static const Json empty = Json::object();
        return empty;
    }
    std::string_view origin_;
    std::string path_;
    const Json& object_;
};

#define EV_TRY(expr)                 \
    do {                             \
        if (auto s_ = (expr); !s_) { \
            return s_.take_error();  \
        }                            \
    } while (0)

bool ip_address(std::string_view s) {
    const std::string text(s);
    unsigned char buffer[16];
    return inet_pton(AF_INET, text.c_str(), buffer) == 1 || inet_pton(AF_INET6, text.c_str(), buffer) == 1;
}
bool absolute_path(std::string_view s) {
    return !s.empty() && s.front() == '/' && s.size() <= 4095 && s.find('\0') == std::string_view::npos;
}
bool database_location(std::string_view s) {
    if (s.starts_with("sqlite:")) return absolute_path(s.substr(7));
    return (s.starts_with("postgresql://") || s.starts_with("postgres://")) && s.find('\0') == std::string_view::npos;
}
bool token_name(std::string_view s) {
    if (s.empty() || s.size() > 64) return false;
    for (char c : s) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                        c == '_' || c == '-' || c == '@';
        if (!ok) return false;
    }
    return true;
}
bool sha256_hex(std::string_view s) {
    if (s.size() != 64) return false;
    for (char c : s) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    }
    return true;
}
std::array<std::uint8_t, 32> hex_to_bytes(std::string_view hex) {
    auto nibble = [](char c) { return static_cast<std::uint8_t>(c <= '9' ? c - '0' : c - 'a' + 10); };
    std::array<std::uint8_t, 32> out{};
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<std::uint8_t>(nibble(hex[2 * i]) << 4 | nibble(hex[2 * i + 1]));
    return out;
}

Status read_operator_tokens(const Fields& root, std::string_view origin, ServerConfig& config) {
    const Json* tokens = root.find("operatorTokens");
    if (!tokens) return {};
    if (!tokens->is_array()) return root.error("operatorTokens", "must be an array of {name, sha256}");
    for (std::size_t i = 0; i < tokens->size(); ++i) {
        const std::string path = "operatorTokens[" + std::to_string(i) + "]";
        const Json& entry = (*tokens)[i];
        if (!entry.is_object()) return make_error(Errc::config, std::string(origin) + ": " + path + ": must be an object");
        const Fields fields(origin, path, entry);
        EV_TRY(fields.only_keys({"name", "sha256"}));
        if (!fields.find("name")) return fields.error("name", "required");
        if (!fields.find("sha256")) return fields.error("sha256", "required");
        OperatorTokenEntry token;
        std::string hex;
        EV_TRY(fields.read_string("name", token.name, token_name,
                                  "must be 1 to 64 letters, digits, '.', '_', '-' or '@'"));
        EV_TRY(fields.read_string("sha256", hex, sha256_hex,
                                  "must be 64 lowercase hex digits (edgeverify-server operator-token new prints it)"));
        token.sha256 = hex_to_bytes(hex);
        for (const auto& other : config.operator_tokens) {
            if (other.name == token.name) return fields.error("name", "\"" + token.name + "\" is named twice");
            if (other.sha256 == token.sha256) return fields.error("sha256", "the same token is listed twice");
        }
        config.operator_tokens.push_back(std::move(token));
    }
    return {};
}

}  // namespace

Expected<ServerConfig> parse_server_config(std::string_view json, std::string_view origin) {
    auto document = parse_json_strict(json, origin);
    if (!document) return make_error(Errc::config, document.error().message);
    if (!document->is_object()) return make_error(Errc::config, std::string(origin) + ": must be a JSON object");
    const Fields root(origin, "", *document);
    ServerConfig c;
    EV_TRY(root.only_keys({"listen", "tls", "database", "operatorTokens", "enrollment", "silentAfterSeconds", "limits",
                           "metrics", "dashboard"}));
    auto listen = root.object("listen");
    if (!listen) return listen.take_error();
    EV_TRY(listen->only_keys({"host", "port"}));
    EV_TRY(listen->read_string("host", c.listen_host, ip_address, "must be an IPv4 or IPv6 address (no name)"));
    EV_TRY(listen->read_integer("port", c.listen_port, 0, 65535));

    auto tls = root.object("tls");
    if (!tls) return tls.take_error();
    EV_TRY(tls->only_keys({"certificate", "key", "clientCa"}));
    EV_TRY(tls->read_string("certificate", c.tls_certificate, absolute_path, "must be an absolute path"));
    EV_TRY(tls->read_string("key", c.tls_key, absolute_path, "must be an absolute path"));
    EV_TRY(tls->read_string("clientCa", c.tls_client_ca, absolute_path, "must be an absolute path"));
    if (c.tls_certificate.empty() != c.tls_key.empty()) {
        return c.tls_certificate.empty() ? tls->error("certificate", "required with tls.key")
                                         : tls->error("key", "required with tls.certificate");
    }
    if (!c.tls_client_ca.empty() && c.tls_certificate.empty()) {
        return tls->error("clientCa", "needs tls.certificate and tls.key (client certificates need HTTPS)");
    }

    EV_TRY(root.read_string("database", c.database, database_location,
                            "must be sqlite:/ABSOLUTE/PATH or a postgresql:// (postgres://) URI"));
    EV_TRY(read_operator_tokens(root, origin, c));

    auto enrollment = root.object("enrollment");
    if (!enrollment) return enrollment.take_error();
    EV_TRY(enrollment->only_keys({"autoAccept"}));
    EV_TRY(enrollment->read_bool("autoAccept", c.enrollment_auto_accept));

    EV_TRY(root.read_integer("silentAfterSeconds", c.silent_after_seconds, 60, 365 * 86400));

    auto server_limits = root.object("limits");
    if (!server_limits) return server_limits.take_error();
    EV_TRY(server_limits->only_keys({"maxBodyBytes", "maxConnections", "headerTimeoutMs", "bodyTimeoutMs"}));
    EV_TRY(server_limits->read_integer("maxBodyBytes", c.max_body_bytes, 64 * 1024, 256 * 1024 * 1024));
    EV_TRY(server_limits->read_integer("maxConnections", c.max_connections, 1, 65536));
    EV_TRY(server_limits->read_integer("headerTimeoutMs", c.header_timeout_ms, 100, 600000));
    EV_TRY(server_limits->read_integer("bodyTimeoutMs", c.body_timeout_ms, 100, 3600000));

    auto metrics = root.object("metrics");
    if (!metrics) return metrics.take_error();
    EV_TRY(metrics->only_keys({"requireToken"}));
    EV_TRY(metrics->read_bool("requireToken", c.metrics_require_token));

    auto dashboard = root.object("dashboard");
    if (!dashboard) return dashboard.take_error();
    EV_TRY(dashboard->only_keys({"dir"}));
    EV_TRY(dashboard->read_string("dir", c.dashboard_dir, absolute_path, "must be an absolute path"));
    return c;
}

Expected<ServerConfig> load_server_config(const std::string& path) {
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
    if (!file) return make_error(Errc::config, path + ": cannot open the configuration file");
    std::string text;
    char buffer[16384];
    std::size_t got = 0;
    while ((got = std::fread(buffer, 1, sizeof buffer, file.get())) > 0) {
        text.append(buffer, got);
        if (text.size() > kMaxServerConfigBytes) {
            return make_error(Errc::config, path + ": over " + std::to_string(kMaxServerConfigBytes) + " bytes");
        }
    }
    if (std::ferror(file.get())) return make_error(Errc::config, path + ": cannot read the configuration file");
    return parse_server_config(text, path);
}

}  // namespace edgeverify::server
