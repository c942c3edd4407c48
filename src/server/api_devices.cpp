// GET /api/v1/devices[/{id}] and POST /api/v1/devices/{id}/accept|revoke (docs/server-api.md
// "Devices"), plus the error mapping every handler shares.
#include "server/api_handlers.hpp"
#include "server/api_json.hpp"

namespace edgeverify::server::api {
namespace {

constexpr std::size_t kRecentReports = 20;

Expected<std::optional<DeviceLabel>> label_parameter(const std::map<std::string, std::string>& query) {
    auto text = text_parameter(query, "label");
    if (!text) return text.take_error();
    if (!*text) return std::optional<DeviceLabel>{};
    const auto equals = (*text)->find('=');
    if (equals == std::string::npos || equals == 0)
        return make_error(Errc::schema_violation, "query parameter label: must be name=value");
    return std::optional<DeviceLabel>{DeviceLabel{(*text)->substr(0, equals), (*text)->substr(equals + 1)}};
}

DeviceFilter filter_for(const OperatorApiContext& context) {
    DeviceFilter filter;
    filter.now = context.now;
    filter.silent_after_seconds = context.silent_after_seconds;
    return filter;
}

// The device as the list shows it; nullopt when unknown.
Expected<std::optional<DeviceSummary>> find_device(std::string_view id, const OperatorApiContext& context) {
    DeviceFilter filter = filter_for(context);
    filter.id = std::string(id);
    filter.limit = 1;
    auto page = context.storage.query_devices(filter);
    if (!page) return page.take_error();
    if (page->devices.empty()) return std::optional<DeviceSummary>{};
    return std::optional<DeviceSummary>{std::move(page->devices.front())};
}

net::HttpResponse no_device(std::string_view id) {
    return api_error(404, "not-found", "no device " + std::string(id));
}

}  // namespace

net::HttpResponse bad_request(const Error& error) {
    return api_error(400, "bad-request", error.message);
}

net::HttpResponse storage_failure(const Error& error, const OperatorApiContext& context) {
    switch (error.code) {
        case Errc::not_found:
            return api_error(404, "not-found", error.message);
        case Errc::usage:
            return api_error(409, "conflict", error.message);
        case Errc::schema_violation:
        case Errc::limit_exceeded:
            return bad_request(error);
        default:
            if (context.log) context.log("operator API: storage failed: " + error.message);
            return api_error(500, "internal", "internal error");
    }
}

net::HttpResponse list_devices(const ApiTarget& target, const OperatorApiContext& context) {
    auto query = query_parameters(target, {"status", "label", "silent", "limit", "cursor"});
    if (!query) return bad_request(query.error());
    DeviceFilter filter = filter_for(context);
    auto status = choice_parameter(*query, "status", {"pending", "active", "revoked"});
    if (!status) return bad_request(status.error());
    if (*status)
        filter.status = **status == "pending" ? DeviceStatus::pending
                        : **status == "active" ? DeviceStatus::active
                                               : DeviceStatus::revoked;
    auto label = label_parameter(*query);
    if (!label) return bad_request(label.error());
    filter.label = std::move(*label);
    auto silent = choice_parameter(*query, "silent", {"true", "false"});
    if (!silent) return bad_request(silent.error());
    if (*silent) filter.silent = **silent == "true";
    auto limit = page_limit_parameter(*query);
    if (!limit) return bad_request(limit.error());
    filter.limit = *limit;
    if (auto cursor = query->find("cursor"); cursor != query->end()) filter.cursor = cursor->second;
    auto page = context.storage.query_devices(filter);
    if (!page) {
        if (page.error().code == Errc::schema_violation && !filter.cursor.empty())
            return bad_request(make_error(Errc::schema_violation, "query parameter cursor: " + page.error().message));
        return storage_failure(page.error(), context);
    }
    Json devices = Json::array();
    for (const auto& d : page->devices)
        devices.push_back(device_json(d, is_silent(d.device, context.now, context.silent_after_seconds)));
    return json_ok(Json{{"devices", std::move(devices)}, {"nextCursor", page->next_cursor}});
}

net::HttpResponse show_device(std::string_view id, const ApiTarget& target, const OperatorApiContext& context) {
    if (auto query = query_parameters(target, {}); !query) return bad_request(query.error());
    auto device = find_device(id, context);
    if (!device) return storage_failure(device.error(), context);
    if (!*device) return no_device(id);
    auto state = context.storage.get_device_state(id);
    if (!state) return storage_failure(state.error(), context);
    ReportFilter recent;
    recent.device_id = std::string(id);
    recent.limit = kRecentReports;
    auto reports = context.storage.query_reports(recent);
    if (!reports) return storage_failure(reports.error(), context);

    Json body = device_json(**device, is_silent((*device)->device, context.now, context.silent_after_seconds));
    body["images"] = Json::array();
    for (const auto& image : state->images)
        body["images"].push_back({{"reference", image.reference}, {"digest", image.digest}, {"verdict", image.verdict}});
    body["alarms"] = Json::array();
    for (const auto& alarm : state->alarms)
        body["alarms"].push_back({{"kind", alarm.kind}, {"message", alarm.message}, {"digest", alarm.digest}});
    body["recentReports"] = Json::array();
    for (const auto& report : reports->reports) body["recentReports"].push_back(report_summary_json(report));
    return json_ok(body);
}

net::HttpResponse change_device(std::string_view id, bool accept, const ApiTarget& target,
                                const OperatorApiContext& context) {
    if (auto query = query_parameters(target, {}); !query) return bad_request(query.error());
    auto changed = accept ? context.storage.accept_device(id, context.now) : context.storage.revoke_device(id, context.now);
    if (!changed) {
        if (changed.error().code == Errc::not_found) return no_device(id);
        return storage_failure(changed.error(), context);
    }
    auto device = find_device(id, context);
    if (!device) return storage_failure(device.error(), context);
    if (!*device) return no_device(id);
    return json_ok(device_json(**device, is_silent((*device)->device, context.now, context.silent_after_seconds)));
}

}  // namespace edgeverify::server::api
