// Report upload, enrollment, health and metrics endpoints (device_routes.hpp).
#include "server/device_routes.hpp"

#include <optional>

#include "server/api_responses.hpp"
#include "server/enrollment.hpp"
#include "server/ingest.hpp"
#include "server/operator_api.hpp"

namespace edgeverify::server {
namespace {

// The device as GET /api/v1/devices/{id} shows it (the operator API's shape), answered `status`.
net::HttpResponse device_answer(const DeviceRouteContext& context, const std::string& id, Storage& storage,
                                UnixSeconds now) {
    net::HttpRequest get{"GET", "/api/v1/devices/" + id, {}, {}, true};
    const OperatorApiContext api{.storage = storage, .now = now, .silent_after_seconds = context.config.silent_after_seconds,
                                 .log = context.log};
    auto shown = handle_operator_request(get, api);
    if (!shown || shown->status != 200) {
        // The operator API cannot show it: still say what was enrolled.
        auto device = storage.get_device(id);
        if (!device) return internal_error();
        return json_response(201, Json{{"id", device->id},
                                       {"fingerprint", device->fingerprint},
                                       {"status", device_status_name(device->status)}});
    }
    shown->status = 201;
    shown->reason.clear();
    return std::move(*shown);
}

net::HttpResponse enrollment_refused(const DeviceRouteContext& context, const Error& error) {
    switch (error.code) {
        case Errc::usage: return error_response(409, "conflict", error.message);
        case Errc::untrusted: return error_response(401, "unauthorized", "the bootstrap token is unknown, expired or used up");
        case Errc::signature_invalid: return error_response(422, "signature-invalid", error.message);
        case Errc::io_error:
        case Errc::internal:
        case Errc::config: context.log("enrollment: " + error.message); return internal_error();
        default: return error_response(400, "bad-request", error.message);
    }
}

}  // namespace

net::HttpResponse answer_report_upload(const DeviceRouteContext& context, std::string_view body, Storage& storage,
                                       UnixSeconds now) {
    auto outcome = ingest_reports(body, storage, now);
    if (!outcome) {
        return error_response(400, "bad-request", outcome.error().message);
    }
    if (outcome->storage_error) context.log("reports: storage failed: " + outcome->storage_error->message);
    for (const auto& item : outcome->results) context.metrics.count_report(item.code);
    return json_response(200, ingest_results_json(outcome->results));
}

net::HttpResponse answer_zero_touch_enrollment(const DeviceRouteContext& context, std::string_view body,
                                               std::string_view token, Storage& storage, UnixSeconds now) {
    auto device = new_device_from_request(body, false);
    if (!device) return enrollment_refused(context, device.error());
    if (auto enrolled = storage.enroll_with_bootstrap_token(*device, token, now); !enrolled) {
        return enrollment_refused(context, enrolled.error());
    }
    if (context.config.enrollment_auto_accept) {
        if (auto accepted = storage.accept_device(device->id, now); !accepted) {
            context.log("enrollment: auto-accept of " + device->id + " failed: " + accepted.error().message);
            return internal_error();
        }
    }
    context.log("enrolled " + device->id + (context.config.enrollment_auto_accept ? " (active)" : " (pending)"));
    return device_answer(context, device->id, storage, now);
}

net::HttpResponse answer_operator_enrollment(const DeviceRouteContext& context, std::string_view body,
                                             Storage& storage, UnixSeconds now) {
    auto device = new_device_from_request(body, true);
    if (!device) return enrollment_refused(context, device.error());
    if (auto enrolled = storage.enroll_device(*device, now); !enrolled) return enrollment_refused(context, enrolled.error());
    context.log("enrolled " + device->id + " (active, by an operator)");
    return device_answer(context, device->id, storage, now);
}

net::HttpResponse answer_health(Storage& storage) {
    // Any answer from the database (a device that does not exist) shows that it is reachable.
    auto probe = storage.get_device("ev-healthz-probe");
    const bool reachable = probe || probe.error().code != Errc::io_error;
    return json_response(reachable ? 200 : 503, Json{{"status", reachable ? "ok" : "unavailable"},
                                                     {"storage", storage.backend_name()},
                                                     {"schemaVersion", storage.schema_version()}});
}

net::HttpResponse answer_metrics(const DeviceRouteContext& context, Storage& storage, UnixSeconds now) {
    std::optional<FleetSummary> fleet;
    if (auto summary = storage.fleet_summary(now, context.config.silent_after_seconds)) {
        fleet = std::move(*summary);
    } else {
        context.log("metrics: fleet summary failed: " + summary.error().message);
    }
    net::HttpResponse response;
    response.status = 200;
    response.headers = {{"Content-Type", "text/plain; version=0.0.4; charset=utf-8"}};
    response.body = context.metrics.render(fleet, EDGEVERIFY_VERSION);
    return response;
}

}  // namespace edgeverify::server
