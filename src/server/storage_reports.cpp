// Storage of verified reports: idempotent on (device, sequence), replays with other content kept
// aside in report_conflicts, and the keyset-paginated report queries of the operator API.
#include <charconv>
#include <limits>

#include "edgeverify/limits.hpp"
#include "edgeverify/report.hpp"
#include "server/storage.hpp"
#include "server/storage_values.hpp"

namespace edgeverify::server {
namespace {

// The opaque page cursor: this prefix and the id of the last report of the previous page.
constexpr std::string_view kCursorPrefix = "c1.";

Expected<std::int64_t> parse_cursor(std::string_view cursor) {
    auto bad = make_error(Errc::schema_violation, "page cursor is not one this server issued");
    if (!cursor.starts_with(kCursorPrefix)) return bad;
    auto digits = cursor.substr(kCursorPrefix.size());
    std::int64_t id = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), id);
    if (digits.empty() || ec != std::errc{} || end != digits.data() + digits.size() || id < 1 ||
        digits[0] == '0')
        return bad;
    return id;
}

SqlParam optional_text(const std::optional<std::string>& value) {
    return value ? sql_text(*value) : sql_null_text();
}
SqlParam optional_int(const std::optional<std::int64_t>& value) {
    return value ? sql_int(*value) : sql_null_int();
}

}  // namespace

std::string_view store_outcome_name(StoreOutcome outcome) {
    switch (outcome) {
        case StoreOutcome::stored:
            return "stored";
        case StoreOutcome::duplicate:
            return "duplicate";
        case StoreOutcome::replay_conflict:
            return "replay-conflict";
        case StoreOutcome::refused:
            return "refused";
    }
    return "refused";
}

Expected<std::vector<StoreResult>> Storage::store_reports(std::span<const ReportRecord> reports,
                                                          UnixSeconds now) {
    if (reports.size() > limits::kMaxStoreBatchReports)
        return make_error(Errc::limit_exceeded, "batch of " + std::to_string(reports.size()) +
                                                    " reports, over kMaxStoreBatchReports (" +
                                                    std::to_string(limits::kMaxStoreBatchReports) + ")");
    std::vector<StoreResult> results(reports.size());
    SqlTransaction tx(*db_);
    if (auto began = tx.begin(); !began) return began.take_error();
    for (std::size_t i = 0; i < reports.size(); ++i) {
        if (auto valid = check_report_record(reports[i]); !valid) {
            results[i].error = valid.take_error();
            continue;
        }
        auto stored = store_one(reports[i], now);
        if (!stored) {
            // A device that cannot take reports refuses this item; anything else fails the batch.
            if (stored.error().code != Errc::not_found && stored.error().code != Errc::untrusted)
                return stored.take_error();
            results[i].error = stored.take_error();
            continue;
        }
        results[i] = std::move(*stored);
    }
    if (auto committed = tx.commit(); !committed) return committed.take_error();
    return results;
}

Expected<StoreResult> Storage::store_one(const ReportRecord& r, UnixSeconds now) {
    std::vector<SqlParam> id{sql_text(r.device_id)};
    auto device = db_->run("SELECT status FROM devices WHERE id = $1", id);
    if (!device) return device.take_error();
    if (device->rows.empty()) return make_error(Errc::not_found, "no device " + r.device_id + " is enrolled");
    if (column_text(device->rows[0][0]) != "active")
        return make_error(Errc::untrusted, "device " + r.device_id + " is " +
                                               column_text(device->rows[0][0]) +
                                               ": its reports are not stored");
    const auto seq = static_cast<std::int64_t>(r.sequence);
    const std::string envelope_digest = sha256_text(r.envelope);
    std::vector<SqlParam> row{
        sql_text(r.device_id),
        sql_int(seq),
        sql_text(envelope_digest),
        sql_text(r.envelope),
        sql_text(r.predicate_type),
        sql_text(r.subject_name),
        sql_text(r.subject_digest),
        r.verification_result.empty() ? sql_null_text() : sql_text(r.verification_result),
        r.admitted ? sql_int(*r.admitted ? 1 : 0) : sql_null_int(),
        sql_int(r.time),
        sql_int(now),
        sql_int(static_cast<std::int64_t>(r.alarms.size())),
        sql_text(r.reason)};
    auto inserted = db_->run(
        "INSERT INTO reports (device_id, sequence, envelope_sha256, envelope, predicate_type, subject_name, "
        "subject_digest, verification_result, admitted, report_time, received_at, alarm_count, reason) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) "
        "ON CONFLICT (device_id, sequence) DO NOTHING RETURNING id",
        row);
    if (!inserted) return inserted.take_error();
    StoreResult result;
    std::vector<SqlParam> seen{sql_int(now), sql_text(r.device_id)};
    auto touched = db_->run(
        "UPDATE devices SET last_seen = $1 WHERE id = $2 AND (last_seen IS NULL OR last_seen < $1)", seen);
    if (!touched) return touched.take_error();
    if (inserted->rows.empty()) {
        std::vector<SqlParam> key{sql_text(r.device_id), sql_int(seq)};
        auto existing =
            db_->run("SELECT id, envelope_sha256 FROM reports WHERE device_id = $1 AND sequence = $2", key);
        if (!existing) return existing.take_error();
        if (existing->rows.empty())
            return make_error(Errc::internal, "report vanished during its own insert");
        result.report_id = column_int(existing->rows[0][0]);
        if (column_text(existing->rows[0][1]) == envelope_digest) {
            result.outcome = StoreOutcome::duplicate;
            return result;
        }
        result.outcome = StoreOutcome::replay_conflict;
        std::vector<SqlParam> conflict{sql_int(result.report_id), sql_text(r.device_id), sql_int(seq),
                                       sql_text(envelope_digest), sql_text(r.envelope),  sql_int(now)};
        // The same conflicting envelope sent again is recorded once.
        auto kept = db_->run(
            "INSERT INTO report_conflicts (report_id, device_id, sequence, envelope_sha256, envelope, "
            "received_at) "
            "SELECT $1, $2, $3, $4, $5, $6 WHERE NOT EXISTS (SELECT 1 FROM report_conflicts "
            "WHERE device_id = $2 AND sequence = $3 AND envelope_sha256 = $4)",
            conflict);
        if (!kept) return kept.take_error();
        return result;
    }
    result.outcome = StoreOutcome::stored;
    result.report_id = column_int(inserted->rows[0][0]);
    for (std::size_t i = 0; i < r.images.size(); ++i) {
        const auto& image = r.images[i];
        std::vector<SqlParam> p{sql_int(result.report_id), sql_int(static_cast<std::int64_t>(i)),
                                sql_text(image.reference), sql_text(image.digest), sql_text(image.verdict)};
        auto added = db_->run(
            "INSERT INTO report_images (report_id, position, reference, digest, verdict) VALUES ($1, $2, $3, "
            "$4, $5)",
            p);
        if (!added) return added.take_error();
    }
    for (std::size_t i = 0; i < r.alarms.size(); ++i) {
        const auto& alarm = r.alarms[i];
        std::vector<SqlParam> p{sql_int(result.report_id), sql_int(static_cast<std::int64_t>(i)),
                                sql_text(alarm.kind), sql_text(alarm.message),
                                alarm.digest.empty() ? sql_null_text() : sql_text(alarm.digest)};
        auto added = db_->run(
            "INSERT INTO report_alarms (report_id, position, kind, message, digest) VALUES ($1, $2, $3, $4, "
            "$5)",
            p);
        if (!added) return added.take_error();
    }
    if (r.predicate_type == kDeviceReportPredicate) {
        // The newest device report by sequence describes the device now (an older one arriving late does
        // not).
        std::vector<SqlParam> p{sql_int(result.report_id), sql_int(seq), sql_text(r.device_id)};
        auto latest = db_->run(
            "UPDATE devices SET latest_device_report_id = $1, latest_device_report_sequence = $2 WHERE id = "
            "$3 "
            "AND (latest_device_report_sequence IS NULL OR latest_device_report_sequence < $2)",
            p);
        if (!latest) return latest.take_error();
    }
    return result;
}

Expected<ReportPage> Storage::query_reports(const ReportFilter& f) {
    if (f.limit < 1 || f.limit > limits::kMaxReportsPageSize)
        return make_error(Errc::limit_exceeded, "page size " + std::to_string(f.limit) +
                                                    " is outside 1..kMaxReportsPageSize (" +
                                                    std::to_string(limits::kMaxReportsPageSize) + ")");
    std::optional<std::int64_t> before;
    if (!f.cursor.empty()) {
        auto id = parse_cursor(f.cursor);
        if (!id) return id.take_error();
        before = *id;
    }
    for (const auto* text : {&f.device_id, &f.image_digest, &f.verification_result, &f.predicate_type})
        if (*text)
            if (auto s = check_text("report filter", **text, limits::kMaxReportReferenceBytes,
                                    "kMaxReportReferenceBytes");
                !s)
                return s.take_error();
    std::vector<SqlParam> p{optional_text(f.device_id),
                            optional_text(f.image_digest),
                            optional_text(f.verification_result),
                            optional_int(f.time_from),
                            optional_int(f.time_to),
                            optional_int(before),
                            sql_int(static_cast<std::int64_t>(f.limit) + 1),
                            optional_text(f.predicate_type)};
    auto found =
        db_->run(std::string("SELECT ") + kReportRowColumns +
                     " FROM reports r WHERE ($1 IS NULL OR r.device_id = $1) "
                     "AND ($2 IS NULL OR r.subject_digest = $2 OR EXISTS (SELECT 1 FROM report_images i "
                     "WHERE i.report_id = r.id AND i.digest = $2)) "
                     "AND ($3 IS NULL OR r.verification_result = $3) "
                     "AND ($4 IS NULL OR r.report_time >= $4) AND ($5 IS NULL OR r.report_time < $5) "
                     "AND ($6 IS NULL OR r.id < $6) AND ($8 IS NULL OR r.predicate_type = $8) "
                     "ORDER BY r.id DESC LIMIT $7",
                 p);
    if (!found) return found.take_error();
    ReportPage page;
    for (std::size_t i = 0; i < found->rows.size() && i < f.limit; ++i)
        page.reports.push_back(report_row_from(found->rows[i]));
    if (found->rows.size() > f.limit)
        page.next_cursor = std::string(kCursorPrefix) + std::to_string(page.reports.back().id);
    return page;
}

Expected<ReportRow> Storage::get_report(std::int64_t id) {
    std::vector<SqlParam> p{sql_int(id)};
    auto found = db_->run(std::string("SELECT ") + kReportRowColumns + " FROM reports r WHERE r.id = $1", p);
    if (!found) return found.take_error();
    if (found->rows.empty()) return make_error(Errc::not_found, "no report " + std::to_string(id));
    return report_row_from(found->rows[0]);
}

Expected<std::string> Storage::get_report_envelope(std::int64_t id) {
    std::vector<SqlParam> p{sql_int(id)};
    auto found = db_->run("SELECT envelope FROM reports WHERE id = $1", p);
    if (!found) return found.take_error();
    if (found->rows.empty()) return make_error(Errc::not_found, "no report " + std::to_string(id));
    return column_text(found->rows[0][0]);
}

Expected<std::vector<std::string>> Storage::get_conflicts(std::string_view device_id,
                                                          std::uint64_t sequence) {
    if (sequence > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
        return std::vector<std::string>{};
    std::vector<SqlParam> p{sql_text(device_id), sql_int(static_cast<std::int64_t>(sequence))};
    auto found = db_->run(
        "SELECT envelope FROM report_conflicts WHERE device_id = $1 AND sequence = $2 ORDER BY id", p);
    if (!found) return found.take_error();
    std::vector<std::string> envelopes;
    for (const auto& row : found->rows) envelopes.push_back(column_text(row[0]));
    return envelopes;
}

}  // namespace edgeverify::server
