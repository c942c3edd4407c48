// JSON shapes and responses of the operator API (api_json.hpp).
#include "server/api_json.hpp"

#include "edgeverify/report.hpp"
#include "edgeverify/rules.hpp"

namespace edgeverify::server::api {

std::string time_text(UnixSeconds seconds) {
    return format_rfc3339(seconds);
}

std::string report_kind(std::string_view predicate_type) {
    if (predicate_type == kVerificationSummaryPredicate) return "verification";
    if (predicate_type == kDeviceReportPredicate) return "device";
    return std::string(predicate_type);
}

bool is_silent(const Device& device, UnixSeconds now, std::int64_t silent_after_seconds) {
    return device.status == DeviceStatus::active &&
           (!device.last_seen || *device.last_seen < now - silent_after_seconds);
}

Json report_summary_json(const ReportRow& r) {
    Json j = Json::object();
    j["id"] = r.id;
    j["deviceId"] = r.device_id;
    j["sequence"] = r.sequence;
    j["kind"] = report_kind(r.predicate_type);
    j["subject"] = Json{{"name", r.subject_name}, {"digest", r.subject_digest}};
    j["verificationResult"] = r.verification_result;
    j["admitted"] = r.admitted ? Json(*r.admitted) : Json(nullptr);
    j["reason"] = r.reason;
    j["time"] = time_text(r.time);
    j["receivedAt"] = time_text(r.received_at);
    j["alarmCount"] = r.alarm_count;
    j["envelopeDigest"] = r.envelope_digest;
    return j;
}

Json device_json(const DeviceSummary& s, bool silent) {
    Json labels = Json::object();
    for (const auto& label : s.device.labels) labels[label.name] = label.value;
    Json j = Json::object();
    j["id"] = s.device.id;
    j["fingerprint"] = s.device.fingerprint;
    j["status"] = device_status_name(s.device.status);
    j["labels"] = std::move(labels);
    j["enrolledAt"] = time_text(s.device.enrolled_at);
    j["lastSeen"] = s.device.last_seen ? Json(time_text(*s.device.last_seen)) : Json(nullptr);
    j["silent"] = silent;
    j["imageCount"] = s.image_count;
    j["alarmCount"] = s.alarm_count;
    j["lastVerification"] = s.last_verification ? report_summary_json(*s.last_verification) : Json(nullptr);
    return j;
}

Json image_json(const ImageSummary& image) {
    return Json{{"digest", image.digest},
                {"references", image.references},
                {"devices", image.devices},
                {"passed", image.passed},
                {"failed", image.failed}};
}

Json fleet_json(const FleetSummary& f, std::int64_t silent_after_seconds, UnixSeconds now) {
    return Json{{"devices",
                 {{"pending", f.pending},
                  {"active", f.active},
                  {"revoked", f.revoked},
                  {"silent", f.silent},
                  {"compliant", f.compliant}}},
                {"compliance", f.active == 0 ? 0.0 : static_cast<double>(f.compliant) / static_cast<double>(f.active)},
                {"rejectionsLast24h", f.rejections_last_24h},
                {"reports", f.reports},
                {"conflicts", f.conflicts},
                {"silentAfterSeconds", silent_after_seconds},
                {"time", time_text(now)}};
}

net::HttpResponse json_ok(const Json& body) {
    net::HttpResponse response;
    response.status = 200;
    response.headers.emplace_back("Content-Type", "application/json; charset=utf-8");
    // Replacement characters for any invalid UTF-8 (stored text is checked, so none is expected).
    response.body = body.dump(-1, ' ', false, Json::error_handler_t::replace);
    return response;
}

net::HttpResponse api_error(int status, std::string_view code, std::string_view message) {
    net::HttpResponse response = json_ok(Json{{"error", {{"code", code}, {"message", message}}}});
    response.status = status;
    return response;
}

net::HttpResponse method_not_allowed(std::string_view allow) {
    net::HttpResponse response = api_error(405, "method-not-allowed", "method not allowed; allowed: " + std::string(allow));
    response.headers.emplace_back("Allow", std::string(allow));
    return response;
}

}  // namespace edgeverify::server::api
