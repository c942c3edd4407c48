// Checks and conversions shared by the storage modules: every value is bounded by a named limit
// and must be UTF-8 without NUL (PostgreSQL refuses other text; SQLite would keep it, so both
// refuse it the same way), and database text turns back into numbers strictly.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "edgeverify/error.hpp"
#include "server/sql_connection.hpp"
#include "server/storage.hpp"

namespace edgeverify::server {

// field names the value in errors ("device id", "label name", ...); limit_name is the limits.hpp
// constant. Over max_bytes -> limit_exceeded; not UTF-8 or holding NUL -> schema_violation.
Status check_text(std::string_view field, std::string_view value, std::size_t max_bytes,
                  std::string_view limit_name);
// As check_text, and empty is schema_violation too.
Status check_required_text(std::string_view field, std::string_view value, std::size_t max_bytes,
                           std::string_view limit_name);

bool is_utf8_without_nul(std::string_view text);

// Every bound and value rule of a report before it is stored: limit_exceeded naming the
// limits.hpp constant, schema_violation for a bad value (sequence 0, an unknown verdict, ...).
Status check_report_record(const ReportRecord& report);

// "sha256:<hex>" of the bytes.
std::string sha256_text(std::string_view bytes);

// Column text to an integer (the database wrote it, so a failure is an internal error).
std::int64_t column_int(const std::optional<std::string>& text);
std::optional<std::int64_t> column_optional_int(const std::optional<std::string>& text);
inline std::string column_text(const std::optional<std::string>& text) {
    return text.value_or("");
}

// Page cursors over a text key (device id, image digest): prefix + the hex of the last key of the
// previous page, so any key makes a URL-safe opaque cursor. parse_text_cursor: anything this
// did not make -> schema_violation.
std::string make_text_cursor(std::string_view prefix, std::string_view key);
Expected<std::string> parse_text_cursor(std::string_view prefix, std::string_view cursor);
// limit outside 1..kMaxReportsPageSize -> limit_exceeded.
Status check_page_size(std::size_t limit);

// The columns of a ReportRow, in the order report_row_from reads them ("r" is the reports table).
inline constexpr const char* kReportRowColumns =
    "r.id, r.device_id, r.sequence, r.predicate_type, r.subject_name, r.subject_digest, "
    "r.verification_result, r.admitted, r.report_time, r.received_at, r.alarm_count, r.envelope_sha256, r.reason";
// Reads kReportRowColumns starting at column `first`.
ReportRow report_row_from(const SqlRow& row, std::size_t first = 0);

}  // namespace edgeverify::server
