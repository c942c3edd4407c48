// The fleet summary of the operator API (devices: storage_devices.cpp, images: storage_images.cpp).
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
