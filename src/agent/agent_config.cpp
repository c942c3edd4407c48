// agent.json: a strict loader (agent_config.hpp, docs/agent.md). Every key is read by one
// field reader that names its JSON path in the error; keys nobody reads are errors.
#include "agent_config.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <initializer_list>
#include <limits>

#include "edgeverify/json.hpp"
#include "edgeverify/limits.hpp"
#include "config_values.hpp"

namespace edgeverify::agent {
namespace {

using namespace config_values;

// One JSON object of the config and the dotted path that leads to it.
class Section {
public:
    Section(std::string origin, std::string path, const Json& object)
        : origin_(std::move(origin)), path_(std::move(path)), object_(object) {}

    Error error(std::string_view key, const std::string& what) const {
        return make_error(Errc::config, origin_ + ": " + name(key) + ": " + what);
    }
    std::string name(std::string_view key) const { return path_.empty() ? std::string(key) : path_ + "." + std::string(key); }

    Status only_keys(std::initializer_list<std::string_view> known) const {
        for (const auto& [key, value] : object_.items()) {
            bool found = false;
            std::string expected;
            for (auto k : known) {
                found = found || key == k;
                expected += (expected.empty() ? "" : ", ") + std::string(k);
            }
            if (!found) return error(key, "unknown key (expected one of: " + expected + ")");
        }
        return {};
    }
    const Json* find(std::string_view key) const {
        auto it = object_.find(std::string(key));
        return it == object_.end() ? nullptr : &*it;
    }
    Expected<std::optional<Section>> section(std::string_view key) const {
        const Json* value = find(key);
        if (!value) return std::optional<Section>{};
        if (!value->is_object()) return error(key, "must be an object");
        return std::optional<Section>(Section(origin_, name(key), *value));
    }
    Status read_string(std::string_view key, std::string& out, bool (*valid)(const std::string&),
                       const char* rule) const {
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
        const bool in_range = value->is_number_unsigned() && value->get<std::uint64_t>() >= min &&
                              value->get<std::uint64_t>() <= max;
        if (!in_range) {
            return error(key, "must be an integer from " + std::to_string(min) + " to " + std::to_string(max));
        }
        out = static_cast<T>(value->get<std::uint64_t>());
        return {};
    }
    Status read_seconds(std::string_view key, std::chrono::seconds& out, std::uint64_t min, std::uint64_t max) const {
        std::uint64_t seconds = static_cast<std::uint64_t>(out.count());
        if (auto s = read_integer(key, seconds, min, max); !s) return s;
        out = std::chrono::seconds(seconds);
        return {};
    }
    Status read_milliseconds(std::string_view key, std::chrono::milliseconds& out, std::uint64_t min,
                             std::uint64_t max) const {
        std::chrono::seconds seconds = std::chrono::duration_cast<std::chrono::seconds>(out);
        if (auto s = read_seconds(key, seconds, min, max); !s) return s;
        out = seconds;
        return {};
    }

private:
    std::string origin_;
    std::string path_;
    const Json& object_;
};

#define EV_TRY(expr)                 \
    do {                             \
        if (auto s_ = (expr); !s_) { \
            return s_.take_error();  \
        }                            \
    } while (0)

Expected<UploaderConfig> parse_server(const Section& server) {
    UploaderConfig config;
    EV_TRY(server.only_keys({"url", "reportsPath", "caFile", "clientCertFile", "clientKeyFile", "timeoutSeconds",
                             "batchMaxReports", "batchMaxBytes", "backoffInitialSeconds", "backoffMaxSeconds"}));
    if (!server.find("url")) return server.error("url", "required when \"server\" is present");
    if (!server.find("caFile")) return server.error("caFile", "required when \"server\" is present");
    EV_TRY(server.read_string("url", config.url, https_url, "must be https://HOST[:PORT] (https only, no path)"));
    EV_TRY(server.read_string("reportsPath", config.reports_path, url_path,
                              "must be a URL path starting with '/' (no spaces or control characters)"));
    EV_TRY(server.read_string("caFile", config.ca_file, absolute_path, "must be an absolute path"));
    EV_TRY(server.read_string("clientCertFile", config.client_cert_file, absolute_path, "must be an absolute path"));
    EV_TRY(server.read_string("clientKeyFile", config.client_key_file, absolute_path, "must be an absolute path"));
    if (config.client_cert_file.empty() != config.client_key_file.empty()) {
        return config.client_cert_file.empty()
                   ? server.error("clientCertFile", "required with server.clientKeyFile")
                   : server.error("clientKeyFile", "required with server.clientCertFile");
    }
    EV_TRY(server.read_milliseconds("timeoutSeconds", config.timeout, 1, 600));
    EV_TRY(server.read_integer("batchMaxReports", config.batch_max_reports, 1, 1000));
    EV_TRY(server.read_integer("batchMaxBytes", config.batch_max_bytes, 64 * 1024, 16 * 1024 * 1024));
    EV_TRY(server.read_milliseconds("backoffInitialSeconds", config.backoff_initial, 1, 3600));
    const auto initial = std::chrono::duration_cast<std::chrono::seconds>(config.backoff_initial).count();
    EV_TRY(server.read_milliseconds("backoffMaxSeconds", config.backoff_max, static_cast<std::uint64_t>(initial),
                                    86400));
    if (config.backoff_max < config.backoff_initial) {  // the default max under a larger initial
        return server.error("backoffMaxSeconds", "must be set when server.backoffInitialSeconds is above it");
    }
    return config;
}

}  // namespace

Expected<AgentConfig> parse_agent_config(std::string_view json, std::string_view origin) {
    auto document = parse_json_strict(json, origin);
    if (!document) return make_error(Errc::config, document.error().message);
    if (!document->is_object()) return make_error(Errc::config, std::string(origin) + ": must be a JSON object");
    const Section root(std::string(origin), "", *document);
    AgentConfig c;
    EV_TRY(root.only_keys({"stateDir", "trustDir", "containerd", "install", "inbox", "quarantine",
                           "reconcileIntervalSeconds", "deviceReportIntervalSeconds", "server"}));
    EV_TRY(root.read_string("stateDir", c.state_dir, absolute_path, "must be an absolute path"));
    EV_TRY(root.read_string("trustDir", c.trust_dir, absolute_path, "must be an absolute path"));
    auto containerd = root.section("containerd");
    if (!containerd) return containerd.take_error();
    if (const auto& s = *containerd) {
        EV_TRY(s->only_keys({"address", "namespace", "ctr"}));
        EV_TRY(s->read_string("address", c.containerd_address, socket_path,
                              "must be an absolute socket path of at most 107 bytes"));
        EV_TRY(s->read_string("namespace", c.containerd_namespace, containerd_namespace,
                              "must be 1 to 76 letters, digits, '.', '_' or '-', starting and ending with a "
                              "letter or digit"));
        EV_TRY(s->read_string("ctr", c.ctr, command, "must be an absolute path or a command name without '/'"));
    }
    auto install = root.section("install");
    if (!install) return install.take_error();
    if (const auto& s = *install) {
        EV_TRY(s->only_keys({"platform", "unpack", "timeoutSeconds", "retryInitialSeconds", "retryMaxSeconds",
                             "shutdownGraceSeconds"}));
        EV_TRY(s->read_string("platform", c.platform, platform, "must be empty or OS/ARCH[/VARIANT]"));
        EV_TRY(s->read_bool("unpack", c.unpack));
        EV_TRY(s->read_seconds("timeoutSeconds", c.install_timeout, 10, 86400));
        EV_TRY(s->read_seconds("retryInitialSeconds", c.install_retry_initial, 1, 3600));
        EV_TRY(s->read_seconds("retryMaxSeconds", c.install_retry_max,
                               static_cast<std::uint64_t>(c.install_retry_initial.count()), 86400));
        if (c.install_retry_max < c.install_retry_initial) {
            return s->error("retryMaxSeconds", "must be set when install.retryInitialSeconds is above it");
        }
        EV_TRY(s->read_seconds("shutdownGraceSeconds", c.shutdown_grace, 0, 600));
    }
    auto inbox = root.section("inbox");
    if (!inbox) return inbox.take_error();
    if (const auto& s = *inbox) {
        EV_TRY(s->only_keys({"scanIntervalSeconds"}));
        EV_TRY(s->read_seconds("scanIntervalSeconds", c.inbox_scan_interval, 1, 3600));
    }
    auto quarantine = root.section("quarantine");
    if (!quarantine) return quarantine.take_error();
    if (const auto& s = *quarantine) {
        EV_TRY(s->only_keys({"maxEntries", "maxBytes"}));
        EV_TRY(s->read_integer("maxEntries", c.quarantine_max_entries, 1, 10000));
        EV_TRY(s->read_integer("maxBytes", c.quarantine_max_bytes, 1024 * 1024, 1ull << 40));
    }
    EV_TRY(root.read_seconds("reconcileIntervalSeconds", c.reconcile_interval, 1, 86400));
    EV_TRY(root.read_seconds("deviceReportIntervalSeconds", c.device_report_interval, 1, 7 * 86400));
    auto server = root.section("server");
    if (!server) return server.take_error();
    if (const auto& s = *server) {
        auto parsed = parse_server(*s);
        if (!parsed) return parsed.take_error();
        c.server = std::move(*parsed);
    }
    return c;
}

Expected<AgentConfig> load_agent_config(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        const int err = errno;
        return make_error(err == ENOENT ? Errc::not_found : err == EACCES ? Errc::permission_denied : Errc::io_error,
                          "cannot open " + path + ": " + std::strerror(err));
    }
    std::string text;
    struct stat st {};
    Status status;
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        status = make_error(Errc::config, path + ": not a regular file");
    } else {
        char buffer[8192];
        for (;;) {
            const ssize_t n = ::read(fd, buffer, sizeof buffer);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) {
                status = make_error(Errc::io_error, "cannot read " + path + ": " + std::strerror(errno));
                break;
            }
            if (n == 0) break;
            text.append(buffer, static_cast<std::size_t>(n));
            if (text.size() > limits::kMaxJsonDocumentBytes) {
                status = make_error(Errc::config, path + ": larger than kMaxJsonDocumentBytes (" +
                                                      std::to_string(limits::kMaxJsonDocumentBytes) + " bytes)");
                break;
            }
        }
    }
    ::close(fd);
    if (!status) return status.take_error();
    return parse_agent_config(text, path);
}

}  // namespace edgeverify::agent
