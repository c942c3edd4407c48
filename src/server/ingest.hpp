// Report ingest (POST /api/v1/reports, docs/reports.md "Upload protocol"): a request body in,
// one result per item out. Each envelope is read, its device found, its DSSE signature verified
// with the enrolled key, and the verified ones are stored in one transaction. Pure apart from the
// Storage it is handed: no HTTP, no clock.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "edgeverify/error.hpp"
#include "edgeverify/json.hpp"
#include "server/storage.hpp"

namespace edgeverify::server {

// One row of the upload protocol's per-item table.
struct IngestItemResult {
    int status = 0;         // 201 stored, 200 duplicate, 400, 403, 404, 409, 422, 423, 500
    std::string code;       // "stored", "duplicate", "malformed", "device-revoked", ...
    std::string message;    // empty for stored and duplicate
    std::string device_id;  // when the item named one
    std::uint64_t sequence = 0;
};

// body: one envelope (a JSON object) or an array of 1..kMaxStoreBatchReports of them. A body
// that is not JSON, not an object or array, or an array of the wrong length -> an error
// (json_* or schema_violation naming what is wrong): the router answers it 400 bad-request.
// Otherwise one result per item, in order; a storage failure makes the items that reached the
// store 500 internal (nothing stored), the others keep their own result.
struct IngestOutcome {
    std::vector<IngestItemResult> results;
    std::optional<Error> storage_error;  // for the server log when any item is 500 internal
};
Expected<IngestOutcome> ingest_reports(std::string_view body, Storage& storage, UnixSeconds now);

// {"results": [{"status", "code", "message"?, "deviceId"?, "sequence"?}...]}
Json ingest_results_json(const std::vector<IngestItemResult>& results);

// The top-level elements of a JSON array, as the exact bytes they were sent with (whitespace
// around each removed). `array_text` must already be known to be a valid JSON array.
std::vector<std::string_view> split_json_array(std::string_view array_text);

}  // namespace edgeverify::server
