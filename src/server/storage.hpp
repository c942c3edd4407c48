// The fleet server's storage: enrolled devices, bootstrap tokens and verified reports, behind one
// interface with two backends (SQLite by default, PostgreSQL at scale). docs/server-storage.md.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "edgeverify/error.hpp"

namespace edgeverify::server {

class SqlConnection;

// Times are Unix seconds (UTC). The caller passes "now" so that tests and the API agree on it.
using UnixSeconds = std::int64_t;

enum class DeviceStatus { pending, active, revoked };
std::string_view device_status_name(DeviceStatus status);  // "pending" | "active" | "revoked"

struct DeviceLabel {
    std::string name;
    std::string value;
};

struct NewDevice {
    std::string id;              // "ev-..." as the device names itself
    std::string public_key_pem;  // SubjectPublicKeyInfo PEM
    std::string fingerprint;     // "sha256:<hex>" of the SPKI DER
    std::vector<DeviceLabel> labels;
};

struct Device {
    std::string id;
    std::string public_key_pem;
    std::string fingerprint;
    std::vector<DeviceLabel> labels;  // sorted by name
    DeviceStatus status = DeviceStatus::pending;
    UnixSeconds enrolled_at = 0;
    std::optional<UnixSeconds> last_seen;
};

// What ingest extracted from a verified report (see report_record.hpp for the extraction).
struct ReportImage {
    std::string reference;
    std::string digest;
    std::string verdict;  // "admitted" | "unverified" | "not-admitted"
};
struct ReportAlarm {
    std::string kind;
    std::string message;
    std::string digest;  // empty when the alarm names no image
};
struct ReportRecord {
    std::string device_id;
    std::uint64_t sequence = 0;  // 1 .. INT64_MAX
    std::string envelope;        // the DSSE envelope bytes as received (kept for re-verification)
    std::string predicate_type;
    std::string subject_name;
    std::string subject_digest;       // "sha256:<hex>"
    std::string verification_result;  // "PASSED" | "FAILED"; empty for device reports
    std::optional<bool> admitted;     // verification reports only
    UnixSeconds time = 0;             // timeVerified or the device report's time
    // Verification reports FAILED or not admitted: the first failing check's message
    // (report_reason.hpp); empty otherwise. At most kMaxReportReasonBytes.
    std::string reason;
    std::vector<ReportImage> images;  // device reports
    std::vector<ReportAlarm> alarms;  // device reports
};

enum class StoreOutcome {
    stored,           // new (device, sequence)
    duplicate,        // the same envelope bytes were stored before
    replay_conflict,  // (device, sequence) stored with other content: kept in report_conflicts
    refused,          // this item is invalid (error says why); nothing stored for it
};
std::string_view store_outcome_name(StoreOutcome outcome);

struct StoreResult {
    StoreOutcome outcome = StoreOutcome::refused;
    std::int64_t report_id = 0;  // the stored report (also for duplicate and replay_conflict)
    std::optional<Error> error;  // set when refused
};

// One report as the operator API lists it (the envelope is fetched separately).
struct ReportRow {
    std::int64_t id = 0;
    std::string device_id;
    std::uint64_t sequence = 0;
    std::string predicate_type;
    std::string subject_name;
    std::string subject_digest;
    std::string verification_result;
    std::optional<bool> admitted;
    UnixSeconds time = 0;
    UnixSeconds received_at = 0;
    std::int64_t alarm_count = 0;
    std::string envelope_digest;  // "sha256:<hex>" of the envelope bytes
    std::string reason;           // as ReportRecord::reason
};

// Every member is optional; set members are ANDed.
struct ReportFilter {
    std::optional<std::string> device_id;
    std::optional<std::string> image_digest;         // subject digest or an image a device report lists
    std::optional<std::string> verification_result;  // "PASSED" | "FAILED"
    std::optional<std::string> predicate_type;       // the report kind: a predicate type of report.hpp
    std::optional<UnixSeconds> time_from;            // report time >= time_from
    std::optional<UnixSeconds> time_to;              // report time < time_to
    std::size_t limit = 50;                          // 1 .. kMaxReportsPageSize
    std::string cursor;                              // empty = first page; else next_cursor of a page
};

// Newest first (by report id). next_cursor is empty on the last page. A page never repeats or
// skips a report, whatever is inserted between two page reads.
struct ReportPage {
    std::vector<ReportRow> reports;
    std::string next_cursor;
};

struct DeviceSummary {
    Device device;
    std::optional<ReportRow> last_verification;  // newest verification report
    std::int64_t alarm_count = 0;                // alarms in the newest device report
    std::int64_t image_count = 0;                // images in the newest device report
};

// Devices ordered by id. Every member is optional; set members are ANDed.
struct DeviceFilter {
    std::optional<std::string> id;  // exactly this device
    std::optional<DeviceStatus> status;
    std::optional<DeviceLabel> label;  // a label with this name and value
    // silent: active and not seen since now - silent_after_seconds (or never), as fleet_summary.
    std::optional<bool> silent;
    UnixSeconds now = 0;
    std::int64_t silent_after_seconds = 3600;
    std::size_t limit = 50;  // 1 .. kMaxReportsPageSize
    std::string cursor;      // empty = first page; else next_cursor of a page
};
struct DevicePage {
    std::vector<DeviceSummary> devices;
    std::string next_cursor;  // empty on the last page
};

// What the device's newest device report (by sequence) holds, in the report's order.
struct DeviceState {
    std::vector<ReportImage> images;
    std::vector<ReportAlarm> alarms;
};

struct ImageSummary {
    std::string digest;
    // Names the digest goes by: references of the newest device reports listing it and subject
    // names of verification reports for it, sorted, each once.
    std::vector<std::string> references;
    std::vector<std::string> devices;  // devices whose newest device report lists the digest
    std::int64_t passed = 0;           // verification reports PASSED for this subject digest
    std::int64_t failed = 0;           // ... FAILED
};

// Images ordered by digest: every digest a device's newest device report lists or a verification
// report names as its subject.
struct ImagePage {
    std::vector<ImageSummary> images;
    std::string next_cursor;  // empty on the last page
};

struct FleetSummary {
    std::int64_t pending = 0, active = 0, revoked = 0;
    std::int64_t compliant = 0;            // active, newest device report: no alarm, every image admitted
    std::int64_t rejections_last_24h = 0;  // verification reports with admitted=false, time >= now-24h
    std::int64_t silent = 0;               // active and not seen for silent_after seconds (or never)
    std::int64_t reports = 0;
    std::int64_t conflicts = 0;
};

// One handle = one database connection; not thread-safe (use one per thread). Error codes:
// config (bad location, schema newer than this build), io_error (the database failed),
// not_found, usage (already exists, wrong state), limit_exceeded (a named limit of limits.hpp),
// schema_violation (a value that is not UTF-8, a bad status or cursor), untrusted (a bootstrap
// token that is unknown, expired or used up).
class Storage {
public:
    // "sqlite:/path/to/db" (created with mode 0600 on first open) or "postgresql://..." /
    // "postgres://..." (a libpq connection URI). Applies pending migrations.
    static Expected<std::unique_ptr<Storage>> open(std::string_view location);
    explicit Storage(std::unique_ptr<SqlConnection> connection);
    ~Storage();
    Storage(const Storage&) = delete;
    Storage& operator=(const Storage&) = delete;

    int schema_version() const;
    std::string_view backend_name() const;  // "sqlite" | "postgresql"

    // Devices. enroll_device: status active (an operator enrolled it). A taken id or fingerprint
    // -> usage. enroll_with_bootstrap_token: consumes one use of the token and enrolls the device
    // as pending, in one transaction (nothing consumed when the enrollment fails).
    Status enroll_device(const NewDevice& device, UnixSeconds now);
    Status enroll_with_bootstrap_token(const NewDevice& device, std::string_view token, UnixSeconds now);
    Status accept_device(std::string_view id, UnixSeconds now);  // pending -> active
    Status revoke_device(std::string_view id, UnixSeconds now);  // any -> revoked, for good
    Expected<Device> get_device(std::string_view id);
    Expected<Device> get_device_by_fingerprint(std::string_view fingerprint);
    Expected<std::vector<DeviceSummary>> list_devices();  // every device, by id
    // Keyset-paginated like query_reports: a page never repeats or skips a device.
    Expected<DevicePage> query_devices(const DeviceFilter& filter);
    // Empty for a device without device report (or an unknown one: check with query_devices).
    Expected<DeviceState> get_device_state(std::string_view id);
    Status touch_last_seen(std::string_view id, UnixSeconds now);

    // Bootstrap tokens: only SHA-256 of the token is stored. max_uses >= 1.
    Status add_bootstrap_token(std::string_view token, UnixSeconds expires_at, std::int64_t max_uses,
                               UnixSeconds now);

    // Reports: each item is stored idempotently on (device, sequence), all in one transaction.
    // An invalid item is refused on its own; a database failure fails the whole batch (nothing
    // stored). The device's last_seen becomes `now` for every item that was not refused.
    Expected<std::vector<StoreResult>> store_reports(std::span<const ReportRecord> reports, UnixSeconds now);
    Expected<ReportPage> query_reports(const ReportFilter& filter);
    Expected<ReportRow> get_report(std::int64_t id);
    Expected<std::string> get_report_envelope(std::int64_t id);
    // Conflicting envelopes kept for (device, sequence), oldest first.
    Expected<std::vector<std::string>> get_conflicts(std::string_view device_id, std::uint64_t sequence);

    Expected<std::vector<ImageSummary>> list_images();
    // limit 1 .. kMaxReportsPageSize; cursor: empty or next_cursor of a page.
    Expected<ImagePage> query_images(std::size_t limit, std::string_view cursor);
    // One image; not_found when no report names the digest.
    Expected<ImageSummary> get_image(std::string_view digest);
    Expected<FleetSummary> fleet_summary(UnixSeconds now, std::int64_t silent_after_seconds);

private:
    Expected<Device> load_device(std::string_view column_query, std::string_view key);
    Expected<StoreResult> store_one(const ReportRecord& report, UnixSeconds now);
    Status set_status(std::string_view id, DeviceStatus status, UnixSeconds now);
    Status insert_device(const NewDevice& device, DeviceStatus status, UnixSeconds now);

    std::unique_ptr<SqlConnection> db_;
    int schema_version_ = 0;
};

}  // namespace edgeverify::server
