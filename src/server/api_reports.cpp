// GET /api/v1/images[/{digest}], /api/v1/reports[/{id}[/envelope]] and /api/v1/fleet
// (docs/server-api.md "Images", "Reports", "Fleet").
#include "edgeverify/crypto.hpp"
#include "edgeverify/limits.hpp"
#include "edgeverify/report.hpp"
#include "server/api_handlers.hpp"
#include "server/api_json.hpp"

namespace edgeverify::server::api {
namespace {

constexpr std::size_t kRecentReports = 20;

// A storage refusal of the cursor is the client's: 400 naming the parameter.
net::HttpResponse page_failure(const Error& error, bool has_cursor, const OperatorApiContext& context) {
    if (error.code == Errc::schema_violation && has_cursor)
        return bad_request(make_error(Errc::schema_violation, "query parameter cursor: " + error.message));
    return storage_failure(error, context);
}

std::string cursor_of(const std::map<std::string, std::string>& query) {
    auto found = query.find("cursor");
    return found == query.end() ? std::string() : found->second;
}

// The statement inside a stored envelope (verified when it was stored).
Expected<Json> statement_of(std::string_view envelope) {
    JsonLimits bounds;
    bounds.max_bytes = limits::kMaxReportBytes;
    auto json = parse_json_strict(envelope, "stored envelope", bounds);
    if (!json) return json.take_error();
    if (!json->is_object() || !json->contains("payload") || !(*json)["payload"].is_string())
        return make_error(Errc::internal, "stored envelope has no payload");
    auto payload = base64_decode((*json)["payload"].get<std::string>(), "stored envelope payload");
    if (!payload) return payload.take_error();
    return parse_json_strict(*payload, "stored statement", bounds);
}

}  // namespace

net::HttpResponse list_reports(const ApiTarget& target, const OperatorApiContext& context) {
    auto query = query_parameters(target, {"device", "image", "result", "kind", "from", "to", "limit", "cursor"});
    if (!query) return bad_request(query.error());
    ReportFilter filter;
    auto device = text_parameter(*query, "device");
    if (!device) return bad_request(device.error());
    filter.device_id = std::move(*device);
    auto image = text_parameter(*query, "image");
    if (!image) return bad_request(image.error());
    if (*image && !is_sha256_digest(**image))
        return bad_request(make_error(Errc::schema_violation, "query parameter image: must be sha256:<64 hex digits>"));
    filter.image_digest = std::move(*image);
    auto result = choice_parameter(*query, "result", {"PASSED", "FAILED"});
    if (!result) return bad_request(result.error());
    filter.verification_result = std::move(*result);
    auto kind = choice_parameter(*query, "kind", {"verification", "device"});
    if (!kind) return bad_request(kind.error());
    if (*kind)
        filter.predicate_type =
            std::string(**kind == "verification" ? kVerificationSummaryPredicate : kDeviceReportPredicate);
    auto from = time_parameter(*query, "from");
    if (!from) return bad_request(from.error());
    filter.time_from = *from;
    auto to = time_parameter(*query, "to");
    if (!to) return bad_request(to.error());
    filter.time_to = *to;
    auto limit = page_limit_parameter(*query);
    if (!limit) return bad_request(limit.error());
    filter.limit = *limit;
    filter.cursor = cursor_of(*query);
    auto page = context.storage.query_reports(filter);
    if (!page) return page_failure(page.error(), !filter.cursor.empty(), context);
    Json reports = Json::array();
    for (const auto& r : page->reports) reports.push_back(report_summary_json(r));
    return json_ok(Json{{"reports", std::move(reports)}, {"nextCursor", page->next_cursor}});
}

net::HttpResponse show_report(std::string_view id_text, bool envelope, const ApiTarget& target,
                              const OperatorApiContext& context) {
    if (auto query = query_parameters(target, {}); !query) return bad_request(query.error());
    auto id = parse_report_id(id_text);
    if (!id) return bad_request(make_error(Errc::schema_violation, "path: a report id is a positive integer"));
    if (envelope) {
        auto bytes = context.storage.get_report_envelope(*id);
        if (!bytes) return storage_failure(bytes.error(), context);
        net::HttpResponse response = json_ok(Json::object());
        response.body = std::move(*bytes);
        return response;
    }
    auto report = context.storage.get_report(*id);
    if (!report) return storage_failure(report.error(), context);
    auto bytes = context.storage.get_report_envelope(*id);
    if (!bytes) return storage_failure(bytes.error(), context);
    auto statement = statement_of(*bytes);
    if (!statement) return storage_failure(make_error(Errc::internal, statement.error().message), context);
    Json body = report_summary_json(*report);
    body["statement"] = std::move(*statement);
    return json_ok(body);
}

net::HttpResponse list_images(const ApiTarget& target, const OperatorApiContext& context) {
    auto query = query_parameters(target, {"limit", "cursor"});
    if (!query) return bad_request(query.error());
    auto limit = page_limit_parameter(*query);
    if (!limit) return bad_request(limit.error());
    const std::string cursor = cursor_of(*query);
    auto page = context.storage.query_images(*limit, cursor);
    if (!page) return page_failure(page.error(), !cursor.empty(), context);
    Json images = Json::array();
    for (const auto& image : page->images) images.push_back(image_json(image));
    return json_ok(Json{{"images", std::move(images)}, {"nextCursor", page->next_cursor}});
}

net::HttpResponse show_image(std::string_view digest, const ApiTarget& target, const OperatorApiContext& context) {
    if (auto query = query_parameters(target, {}); !query) return bad_request(query.error());
    if (!is_sha256_digest(digest))
        return bad_request(make_error(Errc::schema_violation, "path: an image digest is sha256:<64 hex digits>"));
    auto image = context.storage.get_image(digest);
    if (!image) return storage_failure(image.error(), context);
    ReportFilter recent;
    recent.image_digest = std::string(digest);
    recent.predicate_type = std::string(kVerificationSummaryPredicate);
    recent.limit = kRecentReports;
    auto reports = context.storage.query_reports(recent);
    if (!reports) return storage_failure(reports.error(), context);
    Json body = image_json(*image);
    body["recentReports"] = Json::array();
    for (const auto& r : reports->reports) body["recentReports"].push_back(report_summary_json(r));
    return json_ok(body);
}

net::HttpResponse show_fleet(const ApiTarget& target, const OperatorApiContext& context) {
    if (auto query = query_parameters(target, {}); !query) return bad_request(query.error());
    auto fleet = context.storage.fleet_summary(context.now, context.silent_after_seconds);
    if (!fleet) return storage_failure(fleet.error(), context);
    return json_ok(fleet_json(*fleet, context.silent_after_seconds, context.now));
}

}  // namespace edgeverify::server::api
