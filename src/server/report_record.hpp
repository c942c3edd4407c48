// What the storage keeps of a report, read from its verified in-toto statement (docs/reports.md
// "Verification report" and "Device report").
#pragma once

#include <string_view>

#include "edgeverify/error.hpp"
#include "server/storage.hpp"

namespace edgeverify::server {

// envelope: the DSSE envelope bytes as received (stored unchanged); statement: its payload, which
// the caller has verified against the device key. A statement that is not a verification summary
// or device report of docs/reports.md -> schema_violation naming the field (json_* for bad JSON).
// The caller still checks that record.device_id is the device whose key verified the envelope.
Expected<ReportRecord> report_record_from_statement(std::string_view envelope, std::string_view statement);

// "2026-11-28T01:50:00Z" (optionally with a fraction of a second, which is dropped) -> Unix
// seconds; anything else -> schema_violation naming `field`.
Expected<UnixSeconds> parse_rfc3339_utc(std::string_view text, std::string_view field);

}  // namespace edgeverify::server
