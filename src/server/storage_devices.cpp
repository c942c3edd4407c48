// The device views of the operator API: filtered, keyset-paginated device pages with their newest
// verdicts and counts, and what a device's newest device report holds.
#include <map>

#include "edgeverify/limits.hpp"
#include "edgeverify/report.hpp"
#include "server/storage.hpp"
#include "server/storage_values.hpp"

namespace edgeverify::server {
namespace {

constexpr std::string_view kDeviceCursorPrefix = "d1.";

DeviceStatus status_from(const std::string& text) {
    return text == "active" ? DeviceStatus::active : text == "revoked" ? DeviceStatus::revoked : DeviceStatus::pending;
}

DeviceSummary summary_from(const SqlRow& r) {
    DeviceSummary s;
    s.device.id = column_text(r[0]);
    s.device.fingerprint = column_text(r[1]);
    s.device.public_key_pem = column_text(r[2]);
    s.device.status = status_from(column_text(r[3]));
    s.device.enrolled_at = column_int(r[4]);
    s.device.last_seen = column_optional_int(r[5]);
    s.alarm_count = column_int(r[6]);
    s.image_count = column_int(r[7]);
    if (r[8]) s.last_verification = report_row_from(r, 8);
    return s;
}

Status check_device_filter(const DeviceFilter& f) {
    if (auto s = check_page_size(f.limit); !s) return s;
    if (f.silent_after_seconds < 0) return make_error(Errc::usage, "silent-after seconds must not be negative");
    if (f.id)
        if (auto s = check_text("device filter", *f.id, limits::kMaxDeviceIdBytes, "kMaxDeviceIdBytes"); !s)
            return s;
    if (f.label) {
        if (auto s = check_text("label filter name", f.label->name, limits::kMaxLabelNameBytes,
                                "kMaxLabelNameBytes");
            !s)
            return s;
        if (auto s = check_text("label filter value", f.label->value, limits::kMaxLabelValueBytes,
                                "kMaxLabelValueBytes");
            !s)
            return s;
    }
    return {};
}

}  // namespace

Expected<DevicePage> Storage::query_devices(const DeviceFilter& f) {
    if (auto valid = check_device_filter(f); !valid) return valid.take_error();
    std::optional<std::string> after;
    if (!f.cursor.empty()) {
        auto key = parse_text_cursor(kDeviceCursorPrefix, f.cursor);
        if (!key) return key.take_error();
        after = std::move(*key);
    }
    std::vector<SqlParam> p{
        sql_text(kVerificationSummaryPredicate),
        f.id ? sql_text(*f.id) : sql_null_text(),
        f.status ? sql_text(device_status_name(*f.status)) : sql_null_text(),
        f.label ? sql_text(f.label->name) : sql_null_text(),
        f.label ? sql_text(f.label->value) : sql_null_text(),
        f.silent ? sql_int(*f.silent ? 1 : 0) : sql_null_int(),
        sql_int(f.now - f.silent_after_seconds),
        after ? sql_text(*after) : sql_null_text(),
        sql_int(static_cast<std::int64_t>(f.limit) + 1)};
    auto found = db_->run(
        std::string(
            "SELECT d.id, d.fingerprint, d.public_key_pem, d.status, d.enrolled_at, d.last_seen, "
            "COALESCE(dr.alarm_count, 0), "
            "(SELECT COUNT(*) FROM report_images i WHERE i.report_id = d.latest_device_report_id), ") +
            kReportRowColumns +
            " FROM devices d LEFT JOIN reports dr ON dr.id = d.latest_device_report_id "
            "LEFT JOIN reports r ON r.id = (SELECT MAX(v.id) FROM reports v WHERE v.device_id = d.id "
            "AND v.predicate_type = $1) "
            "WHERE ($2 IS NULL OR d.id = $2) AND ($3 IS NULL OR d.status = $3) "
            "AND ($4 IS NULL OR EXISTS (SELECT 1 FROM device_labels l WHERE l.device_id = d.id "
            "AND l.name = $4 AND l.value = $5)) "
            "AND ($6 IS NULL OR (CASE WHEN d.status = 'active' AND (d.last_seen IS NULL OR d.last_seen < $7) "
            "THEN 1 ELSE 0 END) = $6) "
            "AND ($8 IS NULL OR d.id > $8) ORDER BY d.id LIMIT $9",
        p);
    if (!found) return found.take_error();
    DevicePage page;
    for (std::size_t i = 0; i < found->rows.size() && i < f.limit; ++i)
        page.devices.push_back(summary_from(found->rows[i]));
    if (page.devices.empty()) return page;
    if (found->rows.size() > f.limit)
        page.next_cursor = make_text_cursor(kDeviceCursorPrefix, page.devices.back().device.id);

    // The labels of the page's devices: one range query over the page's ids.
    std::vector<SqlParam> range{sql_text(page.devices.front().device.id), sql_text(page.devices.back().device.id)};
    auto labels = db_->run(
        "SELECT device_id, name, value FROM device_labels WHERE device_id >= $1 AND device_id <= $2 "
        "ORDER BY device_id, name",
        range);
    if (!labels) return labels.take_error();
    std::map<std::string, std::vector<DeviceLabel>> labels_by_device;
    for (const auto& l : labels->rows)
        labels_by_device[column_text(l[0])].push_back({column_text(l[1]), column_text(l[2])});
    for (auto& s : page.devices) {
        auto labelled = labels_by_device.find(s.device.id);
        if (labelled != labels_by_device.end()) s.device.labels = std::move(labelled->second);
    }
    return page;
}

Expected<std::vector<DeviceSummary>> Storage::list_devices() {
    std::vector<DeviceSummary> devices;
    DeviceFilter filter;
    filter.limit = limits::kMaxReportsPageSize;
    do {
        auto page = query_devices(filter);
        if (!page) return page.take_error();
        for (auto& d : page->devices) devices.push_back(std::move(d));
        filter.cursor = std::move(page->next_cursor);
    } while (!filter.cursor.empty());
    return devices;
}

Expected<DeviceState> Storage::get_device_state(std::string_view id) {
    std::vector<SqlParam> p{sql_text(id)};
    DeviceState state;
    auto images = db_->run(
        "SELECT i.reference, i.digest, i.verdict FROM devices d JOIN report_images i ON i.report_id = "
        "d.latest_device_report_id WHERE d.id = $1 ORDER BY i.position",
        p);
    if (!images) return images.take_error();
    for (const auto& r : images->rows)
        state.images.push_back({column_text(r[0]), column_text(r[1]), column_text(r[2])});
    auto alarms = db_->run(
        "SELECT a.kind, a.message, a.digest FROM devices d JOIN report_alarms a ON a.report_id = "
        "d.latest_device_report_id WHERE d.id = $1 ORDER BY a.position",
        p);
    if (!alarms) return alarms.take_error();
    for (const auto& r : alarms->rows)
        state.alarms.push_back({column_text(r[0]), column_text(r[1]), column_text(r[2])});
    return state;
}

}  // namespace edgeverify::server
