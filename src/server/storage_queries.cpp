// The fleet views of the operator API: devices with their newest verdicts and alarms, images with
// the devices running them, and the fleet summary.
#include <map>

#include "edgeverify/report.hpp"
#include "server/storage.hpp"
#include "server/storage_values.hpp"

namespace edgeverify::server {
namespace {

constexpr std::int64_t kSecondsPerDay = 24 * 60 * 60;

Expected<std::int64_t> count(SqlConnection& db, std::string_view sql, std::span<const SqlParam> params) {
    auto found = db.run(sql, params);
    if (!found) return found.take_error();
    if (found->rows.empty()) return std::int64_t{0};
    return column_int(found->rows[0][0]);
}

}  // namespace

Expected<std::vector<DeviceSummary>> Storage::list_devices() {
    std::vector<SqlParam> p{sql_text(kVerificationSummaryPredicate)};
    auto found = db_->run(
        std::string(
            "SELECT d.id, d.fingerprint, d.public_key_pem, d.status, d.enrolled_at, d.last_seen, "
            "COALESCE(dr.alarm_count, 0), "
            "(SELECT COUNT(*) FROM report_images i WHERE i.report_id = d.latest_device_report_id), ") +
            kReportRowColumns +
            " FROM devices d LEFT JOIN reports dr ON dr.id = d.latest_device_report_id "
            "LEFT JOIN reports r ON r.id = (SELECT MAX(v.id) FROM reports v WHERE v.device_id = d.id "
            "AND v.predicate_type = $1) ORDER BY d.id",
        p);
    if (!found) return found.take_error();
    auto labels = db_->run("SELECT device_id, name, value FROM device_labels ORDER BY device_id, name", {});
    if (!labels) return labels.take_error();
    std::map<std::string, std::vector<DeviceLabel>> labels_by_device;
    for (const auto& l : labels->rows)
        labels_by_device[column_text(l[0])].push_back({column_text(l[1]), column_text(l[2])});

    std::vector<DeviceSummary> devices;
    devices.reserve(found->rows.size());
    for (const auto& r : found->rows) {
        DeviceSummary s;
        s.device.id = column_text(r[0]);
        s.device.fingerprint = column_text(r[1]);
        s.device.public_key_pem = column_text(r[2]);
        const auto status = column_text(r[3]);
        s.device.status = status == "active"    ? DeviceStatus::active
                          : status == "revoked" ? DeviceStatus::revoked
                                                : DeviceStatus::pending;
        s.device.enrolled_at = column_int(r[4]);
        s.device.last_seen = column_optional_int(r[5]);
        s.device.labels = labels_by_device[s.device.id];
        s.alarm_count = column_int(r[6]);
        s.image_count = column_int(r[7]);
        if (r[8]) s.last_verification = report_row_from(r, 8);
        devices.push_back(std::move(s));
    }
    return devices;
}

Expected<std::vector<ImageSummary>> Storage::list_images() {
    std::map<std::string, ImageSummary> images;
    auto running = db_->run(
        "SELECT DISTINCT i.digest, d.id FROM devices d JOIN report_images i ON i.report_id = "
        "d.latest_device_report_id "
        "ORDER BY i.digest, d.id",
        {});
    if (!running) return running.take_error();
    for (const auto& r : running->rows) {
        auto& image = images[column_text(r[0])];
        image.devices.push_back(column_text(r[1]));
    }
    std::vector<SqlParam> p{sql_text(kVerificationSummaryPredicate)};
    auto verdicts = db_->run(
        "SELECT subject_digest, SUM(CASE WHEN verification_result = 'PASSED' THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN verification_result = 'FAILED' THEN 1 ELSE 0 END) FROM reports WHERE predicate_type = "
        "$1 "
        "GROUP BY subject_digest",
        p);
    if (!verdicts) return verdicts.take_error();
    for (const auto& r : verdicts->rows) {
        auto& image = images[column_text(r[0])];
        image.passed = column_int(r[1]);
        image.failed = column_int(r[2]);
    }
    std::vector<ImageSummary> list;
    list.reserve(images.size());
    for (auto& [digest, image] : images) {
        image.digest = digest;
        list.push_back(std::move(image));
    }
    return list;
}

Expected<FleetSummary> Storage::fleet_summary(UnixSeconds now, std::int64_t silent_after_seconds) {
    if (silent_after_seconds < 0) return make_error(Errc::usage, "silent-after seconds must not be negative");
    FleetSummary summary;
    auto statuses = db_->run("SELECT status, COUNT(*) FROM devices GROUP BY status", {});
    if (!statuses) return statuses.take_error();
    for (const auto& r : statuses->rows) {
        const auto status = column_text(r[0]);
        (status == "active"    ? summary.active
         : status == "revoked" ? summary.revoked
                               : summary.pending) = column_int(r[1]);
    }
    auto compliant =
        count(*db_,
              "SELECT COUNT(*) FROM devices d JOIN reports r ON r.id = d.latest_device_report_id "
              "WHERE d.status = 'active' AND r.alarm_count = 0 AND NOT EXISTS (SELECT 1 FROM "
              "report_images i WHERE i.report_id = r.id AND i.verdict <> 'admitted')",
              {});
    if (!compliant) return compliant.take_error();
    summary.compliant = *compliant;
    std::vector<SqlParam> window{sql_text(kVerificationSummaryPredicate), sql_int(now - kSecondsPerDay)};
    auto rejections = count(*db_,
                            "SELECT COUNT(*) FROM reports WHERE predicate_type = $1 AND admitted = 0 "
                            "AND report_time >= $2",
                            window);
    if (!rejections) return rejections.take_error();
    summary.rejections_last_24h = *rejections;
    std::vector<SqlParam> silent_since{sql_int(now - silent_after_seconds)};
    auto silent = count(
        *db_,
        "SELECT COUNT(*) FROM devices WHERE status = 'active' AND (last_seen IS NULL OR last_seen < $1)",
        silent_since);
    if (!silent) return silent.take_error();
    summary.silent = *silent;
    auto reports = count(*db_, "SELECT COUNT(*) FROM reports", {});
    if (!reports) return reports.take_error();
    summary.reports = *reports;
    auto conflicts = count(*db_, "SELECT COUNT(*) FROM report_conflicts", {});
    if (!conflicts) return conflicts.take_error();
    summary.conflicts = *conflicts;
    return summary;
}

}  // namespace edgeverify::server
