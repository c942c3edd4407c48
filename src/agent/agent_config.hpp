// The agent's configuration, /etc/edgeverify/agent.json (docs/agent.md documents every key with
// its default). Loading is strict: unknown keys, wrong types and out-of-range values are config
// errors naming the JSON path, at start, never a silently different agent.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "edgeverify/error.hpp"

namespace edgeverify::agent {

inline constexpr std::string_view kDefaultAgentConfig = "/etc/edgeverify/agent.json";

// "server": where reports go. Absent -> reports stay in the outbox (bounded by
// kMaxOutboxReports) and nothing is sent.
struct UploaderConfig {
    std::string url;               // "server.url": https://host[:port] (https only; required)
    std::string reports_path = "/api/v1/reports";  // "server.reportsPath"
    std::string ca_file;           // "server.caFile": required
    std::string client_cert_file;  // "server.clientCertFile" (with clientKeyFile) or empty
    std::string client_key_file;   // "server.clientKeyFile"
    std::chrono::milliseconds timeout{30000};         // "server.timeoutSeconds" 30 (1..600)
    std::size_t batch_max_reports = 64;               // "server.batchMaxReports" 64 (1..1000)
    std::size_t batch_max_bytes = 1024 * 1024;        // "server.batchMaxBytes" 1 MiB (64 KiB..16 MiB)
    std::chrono::milliseconds backoff_initial{1000};  // "server.backoffInitialSeconds" 1 (>0)
    std::chrono::milliseconds backoff_max{300000};    // "server.backoffMaxSeconds" 300 (>= initial)
};

struct AgentConfig {
    std::string state_dir = "/var/lib/edgeverify";  // "stateDir"
    std::string trust_dir = "/etc/edgeverify/trust";  // "trustDir"
    // "containerd": {"address", "namespace", "ctr"}
    std::string containerd_address = "/run/containerd/containerd.sock";
    std::string containerd_namespace = "k8s.io";
    std::string ctr = "ctr";
    // "install": {"platform", "unpack", "timeoutSeconds", "retryInitialSeconds",
    // "retryMaxSeconds", "shutdownGraceSeconds"}
    std::string platform;  // empty: the host's
    bool unpack = true;
    std::chrono::seconds install_timeout{1800};
    // An install that failed for a reason outside the bundle (containerd down, disk full) is
    // retried after retryInitialSeconds, doubling up to retryMaxSeconds.
    std::chrono::seconds install_retry_initial{5};
    std::chrono::seconds install_retry_max{300};
    // On SIGTERM a running install may finish for this long before it is killed.
    std::chrono::seconds shutdown_grace{20};
    // "inbox": {"scanIntervalSeconds"}: a periodic rescan beside inotify (a missed event never
    // strands a bundle).
    std::chrono::seconds inbox_scan_interval{30};
    // "quarantine": {"maxEntries", "maxBytes"}: oldest entries removed beyond either bound.
    std::size_t quarantine_max_entries = 16;
    std::uint64_t quarantine_max_bytes = 2ull * 1024 * 1024 * 1024;
    // "reconcileIntervalSeconds": compare containerd with the verdict store.
    std::chrono::seconds reconcile_interval{300};
    // "deviceReportIntervalSeconds": the periodic signed device report.
    std::chrono::seconds device_report_interval{3600};
    std::optional<UploaderConfig> server;  // "server"
};

// Reads and validates `path` (kMaxJsonDocumentBytes, strict JSON). Absent file -> not_found;
// anything invalid -> Errc::config with the JSON path ("agent.json: server.timeoutSeconds: must
// be an integer from 1 to 600").
Expected<AgentConfig> load_agent_config(const std::string& path);
Expected<AgentConfig> parse_agent_config(std::string_view json, std::string_view origin);

}  // namespace edgeverify::agent
