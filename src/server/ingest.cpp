// Report ingest (ingest.hpp): verify each envelope against its device's enrolled key, then store
// the verified ones idempotently on (device, sequence).
#include "server/ingest.hpp"

#include <optional>

#include "edgeverify/crypto.hpp"
#include "edgeverify/limits.hpp"
#include "edgeverify/report.hpp"
#include "server/report_record.hpp"

namespace edgeverify::server {
namespace {

IngestItemResult item_result(int status, std::string code, std::string message, const ReportRecord* record) {
    IngestItemResult result{status, std::move(code), std::move(message), {}, 0};
    if (record) {
        result.device_id = record->device_id;
        result.sequence = record->sequence;
    }
    return result;
}

IngestItemResult malformed(std::string message, const ReportRecord* record = nullptr) {
    return item_result(400, "malformed", std::move(message), record);
}

IngestItemResult internal(const ReportRecord* record) {
    return item_result(500, "internal", "the server could not store the report now; retry later", record);
}

// The statement the envelope claims to carry, before any signature is checked: only to find
// the device whose key must verify it.
Expected<ReportRecord> unverified_record(std::string_view envelope) {
    auto document = parse_json_strict(envelope, "report envelope");
    if (!document) return document.take_error();
    if (!document->is_object()) return make_error(Errc::schema_violation, "report envelope: must be a JSON object");
    auto payload_type = document->find("payloadType");
    if (payload_type == document->end() || !payload_type->is_string() ||
        payload_type->get_ref<const std::string&>() != kInTotoPayloadType) {
        return make_error(Errc::schema_violation,
                          "report envelope: payloadType must be \"" + std::string(kInTotoPayloadType) + "\"");
    }
    auto payload = document->find("payload");
    if (payload == document->end() || !payload->is_string()) {
        return make_error(Errc::schema_violation, "report envelope: payload must be a base64 string");
    }
    auto statement = base64_decode(payload->get_ref<const std::string&>(), "report envelope payload");
    if (!statement) return make_error(Errc::schema_violation, statement.error().message);
    return report_record_from_statement(envelope, *statement);
}

// The checks that need the device: the signature with its enrolled key, then its status. The
// signature comes first so that only the key holder learns whether a device is pending or revoked.
std::optional<IngestItemResult> check_device(std::string_view envelope, const ReportRecord& record, Storage& storage,
                                             std::optional<Error>& storage_error) {
    auto device = storage.get_device(record.device_id);
    if (!device) {
        if (device.error().code == Errc::not_found) {
            return item_result(404, "device-unknown", "no device " + record.device_id + " is enrolled", &record);
        }
        storage_error = device.error();
        return internal(&record);
    }
    auto key = parse_public_key_pem(device->public_key_pem, "enrolled key of " + record.device_id);
    if (!key) {
        storage_error = key.error();
        return internal(&record);
    }
    auto verified = verify_dsse_envelope(*key, envelope);
    if (!verified) {
        if (verified.error().code == Errc::signature_invalid) {
            return item_result(422, "signature-invalid", "does not verify with the enrolled key", &record);
        }
        return malformed(verified.error().message, &record);
    }
    if (device->status == DeviceStatus::revoked) {
        return item_result(403, "device-revoked", "device " + record.device_id + " was revoked", &record);
    }
    if (device->status == DeviceStatus::pending) {
        return item_result(423, "device-pending",
                           "device " + record.device_id + " is enrolled and waits for an operator to accept it",
                           &record);
    }
    return std::nullopt;
}

IngestItemResult from_store_result(const StoreResult& stored, const ReportRecord& record) {
    switch (stored.outcome) {
        case StoreOutcome::stored: return item_result(201, "stored", "", &record);
        case StoreOutcome::duplicate: return item_result(200, "duplicate", "", &record);
        case StoreOutcome::replay_conflict:
            return item_result(409, "replay-conflict",
                               "sequence " + std::to_string(record.sequence) + " was stored with other content",
                               &record);
        case StoreOutcome::refused: break;
    }
    return malformed(stored.error ? stored.error->message : "refused by the store", &record);
}

}  // namespace

std::vector<std::string_view> split_json_array(std::string_view text) {
    std::vector<std::string_view> elements;
    auto trimmed = [](std::string_view s) {
        const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
        while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
        while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
        return s;
    };
    text = trimmed(text);
    if (text.size() < 2 || text.front() != '[') return elements;
    int depth = 0;
    bool in_string = false, escaped = false;
    std::size_t start = 1;
    for (std::size_t i = 1; i + 1 < text.size(); ++i) {
        const char c = text[i];
        if (in_string) {
            if (escaped) escaped = false;
            else if (c == '\\') escaped = true;
            else if (c == '"') in_string = false;
            continue;
        }
        if (c == '"') in_string = true;
        else if (c == '[' || c == '{') ++depth;
        else if (c == ']' || c == '}') --depth;
        else if (c == ',' && depth == 0) {
            elements.push_back(trimmed(text.substr(start, i - start)));
            start = i + 1;
        }
    }
    auto last = trimmed(text.substr(start, text.size() - 1 - start));
    if (!last.empty() || !elements.empty()) elements.push_back(last);
    return elements;
}

Expected<IngestOutcome> ingest_reports(std::string_view body, Storage& storage, UnixSeconds now) {
    JsonLimits json_limits;
    json_limits.max_bytes = body.size() > json_limits.max_bytes ? body.size() : json_limits.max_bytes;
    auto document = parse_json_strict(body, "request body", json_limits);
    if (!document) return document.take_error();
    std::vector<std::string_view> envelopes;
    if (document->is_object()) {
        envelopes.push_back(body);
    } else if (document->is_array()) {
        if (document->empty() || document->size() > limits::kMaxStoreBatchReports) {
            return make_error(Errc::schema_violation, "request body: an array must hold 1 to " +
                                                          std::to_string(limits::kMaxStoreBatchReports) + " envelopes");
        }
        envelopes = split_json_array(body);
        if (envelopes.size() != document->size()) {
            return make_error(Errc::internal, "request body: the array could not be split into its envelopes");
        }
    } else {
        return make_error(Errc::schema_violation, "request body: must be a DSSE envelope or an array of them");
    }
    document = Json();  // the items are re-read one by one; do not hold the whole tree twice

    IngestOutcome outcome;
    auto& results = outcome.results;
    results.resize(envelopes.size());
    std::vector<ReportRecord> verified;
    std::vector<std::size_t> verified_index;  // position in `results` of each verified record
    for (std::size_t i = 0; i < envelopes.size(); ++i) {
        if (envelopes[i].size() > limits::kMaxReportBytes) {
            results[i] = malformed("report envelope: over " + std::to_string(limits::kMaxReportBytes) + " bytes");
            continue;
        }
        auto record = unverified_record(envelopes[i]);
        if (!record) {
            results[i] = malformed(record.error().message);
            continue;
        }
        if (auto refused = check_device(envelopes[i], *record, storage, outcome.storage_error)) {
            results[i] = std::move(*refused);
            continue;
        }
        verified.push_back(std::move(*record));
        verified_index.push_back(i);
    }
    if (verified.empty()) return outcome;
    auto stored = storage.store_reports(verified, now);
    if (!stored) outcome.storage_error = stored.error();
    for (std::size_t k = 0; k < verified.size(); ++k) {
        const bool answered = stored && stored->size() == verified.size();
        results[verified_index[k]] = answered ? from_store_result((*stored)[k], verified[k]) : internal(&verified[k]);
    }
    return outcome;
}

Json ingest_results_json(const std::vector<IngestItemResult>& results) {
    Json items = Json::array();
    for (const auto& result : results) {
        Json item = {{"status", result.status}, {"code", result.code}};
        if (!result.message.empty()) item["message"] = result.message;
        if (!result.device_id.empty()) item["deviceId"] = result.device_id;
        if (result.sequence != 0) item["sequence"] = result.sequence;
        items.push_back(std::move(item));
    }
    return Json{{"results", std::move(items)}};
}

}  // namespace edgeverify::server
