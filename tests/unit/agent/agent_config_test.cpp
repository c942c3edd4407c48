// agent.json: every key read with its default, every bad value refused with Errc::config and a
// message naming the JSON path; the firmware's default agent.json loads.
#include <doctest/doctest.h>

#include <string>

#include "agent/agent_config.hpp"

using namespace edgeverify;
using namespace edgeverify::agent;

namespace {

AgentConfig parse_ok(const std::string& json) {
    auto parsed = parse_agent_config(json, "agent.json");
    if (!parsed) FAIL_CHECK(parsed.error().message);
    REQUIRE(parsed.has_value());
    return *parsed;
}

std::string parse_error(const std::string& json) {
    auto parsed = parse_agent_config(json, "agent.json");
    REQUIRE_FALSE(parsed.has_value());
    CHECK(parsed.error().code == Errc::config);
    return parsed.error().message;
}

}  // namespace

TEST_CASE("agent config: an empty object gives every documented default") {
    const AgentConfig c = parse_ok("{}");
    CHECK(c.state_dir == "/var/lib/edgeverify");
    CHECK(c.trust_dir == "/etc/edgeverify/trust");
    CHECK(c.containerd_address == "/run/containerd/containerd.sock");
    CHECK(c.containerd_namespace == "k8s.io");
    CHECK(c.ctr == "ctr");
    CHECK(c.platform.empty());
    CHECK(c.unpack);
    CHECK(c.install_timeout == std::chrono::seconds(1800));
    CHECK(c.install_retry_initial == std::chrono::seconds(5));
    CHECK(c.install_retry_max == std::chrono::seconds(300));
    CHECK(c.shutdown_grace == std::chrono::seconds(20));
    CHECK(c.inbox_scan_interval == std::chrono::seconds(30));
    CHECK(c.quarantine_max_entries == 16);
    CHECK(c.quarantine_max_bytes == 2ull * 1024 * 1024 * 1024);
    CHECK(c.reconcile_interval == std::chrono::seconds(300));
    CHECK(c.device_report_interval == std::chrono::seconds(3600));
    CHECK_FALSE(c.server.has_value());
}

TEST_CASE("agent config: every key is read") {
    const AgentConfig c = parse_ok(R"({
      "stateDir": "/data/ev", "trustDir": "/data/trust",
      "containerd": {"address": "/run/c.sock", "namespace": "edge_1.x-y", "ctr": "/usr/bin/ctr"},
      "install": {"platform": "linux/arm64", "unpack": false, "timeoutSeconds": 60,
                  "retryInitialSeconds": 2, "retryMaxSeconds": 8, "shutdownGraceSeconds": 0},
      "inbox": {"scanIntervalSeconds": 1},
      "quarantine": {"maxEntries": 3, "maxBytes": 1048576},
      "reconcileIntervalSeconds": 7, "deviceReportIntervalSeconds": 9,
      "server": {"url": "https://fleet.example.com:8443", "reportsPath": "/r", "caFile": "/etc/ca.pem",
                 "clientCertFile": "/etc/c.pem", "clientKeyFile": "/etc/c.key", "timeoutSeconds": 5,
                 "batchMaxReports": 10, "batchMaxBytes": 65536, "backoffInitialSeconds": 2,
                 "backoffMaxSeconds": 2}
    })");
    CHECK(c.state_dir == "/data/ev");
    CHECK(c.trust_dir == "/data/trust");
    CHECK(c.containerd_address == "/run/c.sock");
    CHECK(c.containerd_namespace == "edge_1.x-y");
    CHECK(c.ctr == "/usr/bin/ctr");
    CHECK(c.platform == "linux/arm64");
    CHECK_FALSE(c.unpack);
    CHECK(c.install_timeout == std::chrono::seconds(60));
    CHECK(c.install_retry_initial == std::chrono::seconds(2));
    CHECK(c.install_retry_max == std::chrono::seconds(8));
    CHECK(c.shutdown_grace == std::chrono::seconds(0));
    CHECK(c.inbox_scan_interval == std::chrono::seconds(1));
    CHECK(c.quarantine_max_entries == 3);
    CHECK(c.quarantine_max_bytes == 1048576);
    CHECK(c.reconcile_interval == std::chrono::seconds(7));
    CHECK(c.device_report_interval == std::chrono::seconds(9));
    REQUIRE(c.server.has_value());
    CHECK(c.server->url == "https://fleet.example.com:8443");
    CHECK(c.server->reports_path == "/r");
    CHECK(c.server->ca_file == "/etc/ca.pem");
    CHECK(c.server->client_cert_file == "/etc/c.pem");
    CHECK(c.server->client_key_file == "/etc/c.key");
    CHECK(c.server->timeout == std::chrono::milliseconds(5000));
    CHECK(c.server->batch_max_reports == 10);
    CHECK(c.server->batch_max_bytes == 65536);
    CHECK(c.server->backoff_initial == std::chrono::milliseconds(2000));
    CHECK(c.server->backoff_max == std::chrono::milliseconds(2000));
}

TEST_CASE("agent config: server defaults when only url and caFile are given") {
    const AgentConfig c = parse_ok(R"({"server": {"url": "https://[::1]:9443/", "caFile": "/ca.pem"}})");
    REQUIRE(c.server.has_value());
    CHECK(c.server->reports_path == "/api/v1/reports");
    CHECK(c.server->client_cert_file.empty());
    CHECK(c.server->timeout == std::chrono::milliseconds(30000));
    CHECK(c.server->batch_max_reports == 64);
    CHECK(c.server->batch_max_bytes == 1024 * 1024);
    CHECK(c.server->backoff_initial == std::chrono::milliseconds(1000));
    CHECK(c.server->backoff_max == std::chrono::milliseconds(300000));
}

TEST_CASE("agent config: bad values are refused with the JSON path and the rule") {
    struct Case {
        std::string json;
        std::string message;
    };
    const Case cases[] = {
        {R"({"stateDir": "var/lib"})", "agent.json: stateDir: must be an absolute path"},
        {R"({"stateDir": 5})", "agent.json: stateDir: must be an absolute path"},
        {R"({"trustDir": ""})", "agent.json: trustDir: must be an absolute path"},
        {R"({"containerd": []})", "agent.json: containerd: must be an object"},
        {R"({"containerd": {"address": "/)" + std::string(120, 'a') + R"("}})",
         "agent.json: containerd.address: must be an absolute socket path of at most 107 bytes"},
        {R"({"containerd": {"namespace": "-bad"}})",
         "agent.json: containerd.namespace: must be 1 to 76 letters, digits, '.', '_' or '-', starting and "
         "ending with a letter or digit"},
        {R"({"containerd": {"ctr": "./ctr"}})",
         "agent.json: containerd.ctr: must be an absolute path or a command name without '/'"},
        {R"({"containerd": {"adress": "/x"}})",
         "agent.json: containerd.adress: unknown key (expected one of: address, namespace, ctr)"},
        {R"({"install": {"platform": "linux"}})", "agent.json: install.platform: must be empty or OS/ARCH[/VARIANT]"},
        {R"({"install": {"unpack": "yes"}})", "agent.json: install.unpack: must be true or false"},
        {R"({"install": {"timeoutSeconds": 9}})", "agent.json: install.timeoutSeconds: must be an integer from 10 to 86400"},
        {R"({"install": {"timeoutSeconds": 60.5}})", "agent.json: install.timeoutSeconds: must be an integer from 10 to 86400"},
        {R"({"install": {"retryInitialSeconds": 0}})", "agent.json: install.retryInitialSeconds: must be an integer from 1 to 3600"},
        {R"({"install": {"retryInitialSeconds": 10, "retryMaxSeconds": 9}})",
         "agent.json: install.retryMaxSeconds: must be an integer from 10 to 86400"},
        {R"({"install": {"retryInitialSeconds": 600}})",
         "agent.json: install.retryMaxSeconds: must be set when install.retryInitialSeconds is above it"},
        {R"({"install": {"shutdownGraceSeconds": -1}})",
         "agent.json: install.shutdownGraceSeconds: must be an integer from 0 to 600"},
        {R"({"inbox": {"scanIntervalSeconds": 0}})", "agent.json: inbox.scanIntervalSeconds: must be an integer from 1 to 3600"},
        {R"({"inbox": {"watch": true}})", "agent.json: inbox.watch: unknown key (expected one of: scanIntervalSeconds)"},
        {R"({"quarantine": {"maxEntries": 0}})", "agent.json: quarantine.maxEntries: must be an integer from 1 to 10000"},
        {R"({"quarantine": {"maxBytes": 1024}})",
         "agent.json: quarantine.maxBytes: must be an integer from 1048576 to 1099511627776"},
        {R"({"reconcileIntervalSeconds": true})", "agent.json: reconcileIntervalSeconds: must be an integer from 1 to 86400"},
        {R"({"deviceReportIntervalSeconds": 18446744073709551615})",
         "agent.json: deviceReportIntervalSeconds: must be an integer from 1 to 604800"},
        {R"({"server": {"caFile": "/ca.pem"}})", "agent.json: server.url: required when \"server\" is present"},
        {R"({"server": {"url": "https://h"}})", "agent.json: server.caFile: required when \"server\" is present"},
        {R"({"server": {"url": "http://h", "caFile": "/ca.pem"}})",
         "agent.json: server.url: must be https://HOST[:PORT] (https only, no path)"},
        {R"({"server": {"url": "https://h:70000", "caFile": "/ca.pem"}})",
         "agent.json: server.url: must be https://HOST[:PORT] (https only, no path)"},
        {R"({"server": {"url": "https://h/api", "caFile": "/ca.pem"}})",
         "agent.json: server.url: must be https://HOST[:PORT] (https only, no path)"},
        {R"({"server": {"url": "https://h", "caFile": "/ca.pem", "reportsPath": "/a b"}})",
         "agent.json: server.reportsPath: must be a URL path starting with '/' (no spaces or control characters)"},
        {R"({"server": {"url": "https://h", "caFile": "/ca.pem", "clientCertFile": "/c.pem"}})",
         "agent.json: server.clientKeyFile: required with server.clientCertFile"},
        {R"({"server": {"url": "https://h", "caFile": "/ca.pem", "clientKeyFile": "/c.key"}})",
         "agent.json: server.clientCertFile: required with server.clientKeyFile"},
        {R"({"server": {"url": "https://h", "caFile": "/ca.pem", "timeoutSeconds": 601}})",
         "agent.json: server.timeoutSeconds: must be an integer from 1 to 600"},
        {R"({"server": {"url": "https://h", "caFile": "/ca.pem", "batchMaxReports": 1001}})",
         "agent.json: server.batchMaxReports: must be an integer from 1 to 1000"},
        {R"({"server": {"url": "https://h", "caFile": "/ca.pem", "batchMaxBytes": 65535}})",
         "agent.json: server.batchMaxBytes: must be an integer from 65536 to 16777216"},
        {R"({"server": {"url": "https://h", "caFile": "/ca.pem", "backoffInitialSeconds": 5, "backoffMaxSeconds": 4}})",
         "agent.json: server.backoffMaxSeconds: must be an integer from 5 to 86400"},
        {R"({"server": {"url": "https://h", "caFile": "/ca.pem", "backoffInitialSeconds": 3000}})",
         "agent.json: server.backoffMaxSeconds: must be set when server.backoffInitialSeconds is above it"},
        {R"({"server": {"url": "https://h", "caFile": "/ca.pem", "ca": "/x"}})",
         "agent.json: server.ca: unknown key (expected one of: url, reportsPath, caFile, clientCertFile, "
         "clientKeyFile, timeoutSeconds, batchMaxReports, batchMaxBytes, backoffInitialSeconds, backoffMaxSeconds)"},
        {R"({"statedir": "/x"})",
         "agent.json: statedir: unknown key (expected one of: stateDir, trustDir, containerd, install, inbox, "
         "quarantine, reconcileIntervalSeconds, deviceReportIntervalSeconds, server)"},
        {"[]", "agent.json: must be a JSON object"},
    };
    for (const Case& c : cases) {
        CAPTURE(c.json);
        CHECK(parse_error(c.json) == c.message);
    }
}

TEST_CASE("agent config: broken JSON is a config error naming the file") {
    CHECK(parse_error("{\"stateDir\": ").find("agent.json") == 0);
    const std::string duplicate = parse_error(R"({"stateDir": "/a", "stateDir": "/b"})");
    CHECK(duplicate == "agent.json: duplicate key \"stateDir\" in an object");
}

TEST_CASE("agent config: a missing file is not_found naming the path") {
    auto loaded = load_agent_config("/nonexistent/agent.json");
    REQUIRE_FALSE(loaded.has_value());
    CHECK(loaded.error().code == Errc::not_found);
    CHECK(loaded.error().message.find("/nonexistent/agent.json") != std::string::npos);
}

TEST_CASE("agent config: a directory is not a config file") {
    auto loaded = load_agent_config("/");
    REQUIRE_FALSE(loaded.has_value());
    CHECK(loaded.error().code == Errc::config);
    CHECK(loaded.error().message == "/: not a regular file");
}

TEST_CASE("agent config: the firmware's default agent.json loads") {
    const std::string path = std::string(EDGEVERIFY_TEST_DATA_DIR) + "/../../firmware/etc/edgeverify/agent.json";
    auto loaded = load_agent_config(path);
    if (!loaded) FAIL_CHECK(loaded.error().message);
    REQUIRE(loaded.has_value());
    CHECK(loaded->state_dir == "/var/lib/edgeverify");
    CHECK(loaded->trust_dir == "/etc/edgeverify/trust");
    CHECK_FALSE(loaded->server.has_value());
}
