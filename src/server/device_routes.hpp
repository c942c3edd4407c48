// The endpoints edgeverify-server answers itself (the operator API aside): report upload,
// zero-touch and operator enrollment, /healthz and /metrics. Each runs on a worker thread with
// its own Storage handle (storage_workers.hpp) and returns the response.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "edgeverify/net/http.hpp"
#include "server/metrics.hpp"
#include "server/server_config.hpp"
#include "server/storage.hpp"

namespace edgeverify::server {

struct DeviceRouteContext {
    const ServerConfig& config;
    ServerMetrics& metrics;  // thread-safe
    std::function<void(const std::string&)> log;
};

// POST /api/v1/reports: 200 {"results": [...]} (ingest.hpp), 400 bad-request for a body that is
// no envelope or array of them. Counts each item's code into the metrics.
net::HttpResponse answer_report_upload(const DeviceRouteContext& context, std::string_view body, Storage& storage,
                                       UnixSeconds now);
// POST /api/v1/enroll with a bootstrap token: 201 with the device (pending, or active with
// enrollment.autoAccept), 401 for a bad token, 409 when enrolled already, 400, 422.
net::HttpResponse answer_zero_touch_enrollment(const DeviceRouteContext& context, std::string_view body,
                                               std::string_view token, Storage& storage, UnixSeconds now);
// POST /api/v1/devices (operator): 201 with the device, active; 409 when enrolled already.
net::HttpResponse answer_operator_enrollment(const DeviceRouteContext& context, std::string_view body,
                                             Storage& storage, UnixSeconds now);
net::HttpResponse answer_health(Storage& storage);
net::HttpResponse answer_metrics(const DeviceRouteContext& context, Storage& storage, UnixSeconds now);

}  // namespace edgeverify::server
