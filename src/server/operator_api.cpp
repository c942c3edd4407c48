// Routing of the operator API (operator_api.hpp): which handler answers a target and method.
#include "server/operator_api.hpp"

#include "server/api_handlers.hpp"
#include "server/api_json.hpp"

namespace edgeverify::server {
namespace {

using api::method_not_allowed;

// Routes under /api/v1/devices. POST /api/v1/devices is enrollment, not ours: nullopt.
std::optional<net::HttpResponse> route_devices(const net::HttpRequest& request, const ApiTarget& target,
                                               const OperatorApiContext& context) {
    const auto& s = target.segments;  // "api", "v1", "devices", ...
    if (s.size() == 3) {
        if (request.method == "POST") return std::nullopt;
        if (request.method != "GET") return method_not_allowed("GET, POST");
        return api::list_devices(target, context);
    }
    if (s.size() == 4) {
        if (request.method != "GET") return method_not_allowed("GET");
        return api::show_device(s[3], target, context);
    }
    if (s.size() == 5 && (s[4] == "accept" || s[4] == "revoke")) {
        if (request.method != "POST") return method_not_allowed("POST");
        return api::change_device(s[3], s[4] == "accept", target, context);
    }
    return api::api_error(404, "not-found", "no such endpoint");
}

// Routes under /api/v1/reports. POST /api/v1/reports is the device upload, not ours: nullopt.
std::optional<net::HttpResponse> route_reports(const net::HttpRequest& request, const ApiTarget& target,
                                               const OperatorApiContext& context) {
    const auto& s = target.segments;
    if (s.size() == 3) {
        if (request.method == "POST") return std::nullopt;
        if (request.method != "GET") return method_not_allowed("GET, POST");
        return api::list_reports(target, context);
    }
    if (s.size() == 4 || (s.size() == 5 && s[4] == "envelope")) {
        if (request.method != "GET") return method_not_allowed("GET");
        return api::show_report(s[3], s.size() == 5, target, context);
    }
    return api::api_error(404, "not-found", "no such endpoint");
}

std::optional<net::HttpResponse> route_images(const net::HttpRequest& request, const ApiTarget& target,
                                              const OperatorApiContext& context) {
    const auto& s = target.segments;
    if (s.size() > 4) return api::api_error(404, "not-found", "no such endpoint");
    if (request.method != "GET") return method_not_allowed("GET");
    return s.size() == 3 ? api::list_images(target, context) : api::show_image(s[3], target, context);
}

}  // namespace

std::optional<net::HttpResponse> handle_operator_request(const net::HttpRequest& request,
                                                         const OperatorApiContext& context) {
    const std::string_view raw_path = std::string_view(request.target).substr(0, request.target.find('?'));
    static constexpr std::string_view kResources[] = {"/api/v1/devices", "/api/v1/images", "/api/v1/reports",
                                                      "/api/v1/fleet"};
    bool ours = false;
    for (auto prefix : kResources)
        ours = ours || raw_path == prefix || raw_path.starts_with(std::string(prefix) + "/");
    if (!ours) return std::nullopt;
    auto target = parse_api_target(request.target);
    if (!target) return api::bad_request(target.error());
    const std::string& resource = target->segments.at(2);
    if (resource == "devices") return route_devices(request, *target, context);
    if (resource == "reports") return route_reports(request, *target, context);
    if (resource == "images") return route_images(request, *target, context);
    if (target->segments.size() != 3) return api::api_error(404, "not-found", "no such endpoint");
    if (request.method != "GET") return method_not_allowed("GET");
    return api::show_fleet(*target, context);
}

}  // namespace edgeverify::server
