// Counters of edgeverify-server for GET /metrics (Prometheus text exposition format 0.0.4,
// docs/server-api.md "Health and metrics"). Thread-safe: request threads count, any thread renders.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "server/storage.hpp"

namespace edgeverify::server {

class ServerMetrics {
public:
    ServerMetrics();
    ~ServerMetrics();
    ServerMetrics(const ServerMetrics&) = delete;
    ServerMetrics& operator=(const ServerMetrics&) = delete;

    // route: "reports" | "enroll" | "operator" | "metrics" | "healthz" | "dashboard" | "other"
    // (anything else counts as "other"); status: the HTTP status answered.
    void count_request(std::string_view route, int status, double seconds);
    // result: an item code of docs/reports.md "Upload protocol" ("stored", "duplicate", ...).
    void count_report(std::string_view result);
    void set_open_connections(std::size_t count);

    // The exposition text. fleet: the current fleet summary (gauges), omitted when the storage
    // could not answer; version: edgeverify_server_build_info's label.
    std::string render(const std::optional<FleetSummary>& fleet, std::string_view version) const;

private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace edgeverify::server
