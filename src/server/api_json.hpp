// The JSON shapes of the operator API (docs/server-api.md: Device, DeviceDetail, ReportSummary,
// Image, the fleet summary) and its responses: JSON bodies and {"error": {code, message}}.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "edgeverify/json.hpp"
#include "edgeverify/net/http.hpp"
#include "server/storage.hpp"

namespace edgeverify::server::api {

// "2026-11-28T06:00:00Z"
std::string time_text(UnixSeconds seconds);
// "verification" | "device" (| the predicate type itself, for a kind this server does not know).
std::string report_kind(std::string_view predicate_type);

// silent: active and not seen since now - silent_after_seconds (or never), as FleetSummary.
bool is_silent(const Device& device, UnixSeconds now, std::int64_t silent_after_seconds);

Json report_summary_json(const ReportRow& report);
Json device_json(const DeviceSummary& device, bool silent);
Json image_json(const ImageSummary& image);
Json fleet_json(const FleetSummary& fleet, std::int64_t silent_after_seconds, UnixSeconds now);

net::HttpResponse json_ok(const Json& body);
// code: "bad-request", "not-found", "conflict", "internal", ...; status from the code.
net::HttpResponse api_error(int status, std::string_view code, std::string_view message);
net::HttpResponse method_not_allowed(std::string_view allow);

}  // namespace edgeverify::server::api
