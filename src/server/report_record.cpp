// Reads the columns the storage keeps from a verified report statement (report_record.hpp).
#include "server/report_record.hpp"

#include <cctype>
#include <ctime>

#include "edgeverify/json.hpp"
#include "edgeverify/limits.hpp"
#include "edgeverify/report.hpp"
#include "server/report_reason.hpp"

namespace edgeverify::server {
namespace {

Error malformed(std::string_view field, std::string_view why) {
    return make_error(Errc::schema_violation,
                      "report statement: " + std::string(field) + " " + std::string(why));
}

Expected<std::string> string_at(const Json& object, const char* key, std::string_view field) {
    if (!object.is_object() || !object.contains(key) || !object[key].is_string())
        return malformed(field, "must be a string");
    return object[key].get<std::string>();
}

Expected<std::uint64_t> sequence_at(const Json& object, std::string_view field) {
    if (!object.is_object() || !object.contains("sequence") || !object["sequence"].is_number_unsigned())
        return malformed(field, "must be a positive integer");
    auto sequence = object["sequence"].get<std::uint64_t>();
    if (sequence == 0) return malformed(field, "must be a positive integer");
    return sequence;
}

Status read_verification_summary(const Json& predicate, ReportRecord& record) {
    if (!predicate.contains(std::string(kReportContextExtension)))
        return malformed("predicate report-context", "is missing");
    const Json& context = predicate[std::string(kReportContextExtension)];
    auto device = string_at(context, "deviceId", "report-context deviceId");
    if (!device) return device.take_error();
    auto sequence = sequence_at(context, "report-context sequence");
    if (!sequence) return sequence.take_error();
    if (!context.contains("admitted") || !context["admitted"].is_boolean())
        return malformed("report-context admitted", "must be true or false");
    auto result = string_at(predicate, "verificationResult", "predicate verificationResult");
    if (!result) return result.take_error();
    if (*result != "PASSED" && *result != "FAILED")
        return malformed("predicate verificationResult", "must be PASSED or FAILED");
    auto time = string_at(predicate, "timeVerified", "predicate timeVerified");
    if (!time) return time.take_error();
    auto seconds = parse_rfc3339_utc(*time, "predicate timeVerified");
    if (!seconds) return seconds.take_error();
    record.device_id = *device;
    record.sequence = *sequence;
    record.admitted = context["admitted"].get<bool>();
    record.verification_result = *result;
    record.time = *seconds;
    if ((*result == "FAILED" || !*record.admitted) && predicate.contains(std::string(kCheckDetailExtension)))
        record.reason = first_failing_check(predicate[std::string(kCheckDetailExtension)]);
    return {};
}

Status read_device_report(const Json& predicate, ReportRecord& record) {
    auto device = string_at(predicate, "deviceId", "predicate deviceId");
    if (!device) return device.take_error();
    auto sequence = sequence_at(predicate, "predicate sequence");
    if (!sequence) return sequence.take_error();
    auto time = string_at(predicate, "time", "predicate time");
    if (!time) return time.take_error();
    auto seconds = parse_rfc3339_utc(*time, "predicate time");
    if (!seconds) return seconds.take_error();
    record.device_id = *device;
    record.sequence = *sequence;
    record.time = *seconds;
    for (const char* list : {"images", "alarms"})
        if (!predicate.contains(list) || !predicate[list].is_array())
            return malformed(std::string("predicate ") + list, "must be an array");
    for (const auto& image : predicate["images"]) {
        ReportImage entry;
        for (auto [key, out] : {std::pair{"reference", &entry.reference}, std::pair{"digest", &entry.digest},
                                std::pair{"verdict", &entry.verdict}}) {
            auto value = string_at(image, key, std::string("images[].") + key);
            if (!value) return value.take_error();
            *out = std::move(*value);
        }
        record.images.push_back(std::move(entry));
    }
    for (const auto& alarm : predicate["alarms"]) {
        ReportAlarm entry;
        auto kind = string_at(alarm, "kind", "alarms[].kind");
        if (!kind) return kind.take_error();
        auto message = string_at(alarm, "message", "alarms[].message");
        if (!message) return message.take_error();
        entry.kind = std::move(*kind);
        entry.message = std::move(*message);
        if (alarm.contains("digest")) {
            auto digest = string_at(alarm, "digest", "alarms[].digest");
            if (!digest) return digest.take_error();
            entry.digest = std::move(*digest);
        }
        record.alarms.push_back(std::move(entry));
    }
    return {};
}

}  // namespace

Expected<UnixSeconds> parse_rfc3339_utc(std::string_view t, std::string_view field) {
    auto digits = [&](std::size_t at, std::size_t n, int& out) {
        out = 0;
        for (std::size_t i = at; i < at + n; ++i) {
            if (i >= t.size() || !std::isdigit(static_cast<unsigned char>(t[i]))) return false;
            out = out * 10 + (t[i] - '0');
        }
        return true;
    };
    int year, month, day, hour, minute, second;
    bool shape = t.size() >= 20 && digits(0, 4, year) && t[4] == '-' && digits(5, 2, month) && t[7] == '-' &&
                 digits(8, 2, day) && t[10] == 'T' && digits(11, 2, hour) && t[13] == ':' &&
                 digits(14, 2, minute) && t[16] == ':' && digits(17, 2, second);
    std::size_t end = 19;
    if (shape && t[end] == '.') {
        ++end;
        while (end < t.size() && std::isdigit(static_cast<unsigned char>(t[end]))) ++end;
        shape = end > 20;
    }
    if (!shape || end + 1 != t.size() || t[end] != 'Z' || month < 1 || month > 12 || day < 1 || day > 31 ||
        hour > 23 || minute > 59 || second > 60)
        return malformed(field, "must be an RFC 3339 UTC time like 2026-11-28T01:50:00Z");
    std::tm tm{};
    tm.tm_year = year - 1900;
    tm.tm_mon = month - 1;
    tm.tm_mday = day;
    tm.tm_hour = hour;
    tm.tm_min = minute;
    tm.tm_sec = second;
    return static_cast<UnixSeconds>(timegm(&tm));
}

Expected<ReportRecord> report_record_from_statement(std::string_view envelope, std::string_view statement) {
    JsonLimits bounds;
    bounds.max_bytes = limits::kMaxReportBytes;
    auto json = parse_json_strict(statement, "report statement", bounds);
    if (!json) return json.take_error();
    const Json& s = *json;
    auto type = string_at(s, "_type", "_type");
    if (!type) return type.take_error();
    if (*type != kInTotoStatementType)
        return malformed("_type", "must be " + std::string(kInTotoStatementType));
    if (!s.contains("subject") || !s["subject"].is_array() || s["subject"].empty())
        return malformed("subject", "must be a non-empty array");
    const Json& subject = s["subject"][0];
    auto name = string_at(subject, "name", "subject[0].name");
    if (!name) return name.take_error();
    if (!subject.contains("digest")) return malformed("subject[0].digest", "is missing");
    auto hex = string_at(subject["digest"], "sha256", "subject[0].digest.sha256");
    if (!hex) return hex.take_error();
    auto predicate_type = string_at(s, "predicateType", "predicateType");
    if (!predicate_type) return predicate_type.take_error();
    if (!s.contains("predicate") || !s["predicate"].is_object())
        return malformed("predicate", "must be an object");

    ReportRecord record;
    record.envelope = std::string(envelope);
    record.predicate_type = *predicate_type;
    record.subject_name = *name;
    record.subject_digest = "sha256:" + *hex;
    Status read = *predicate_type == kVerificationSummaryPredicate
                      ? read_verification_summary(s["predicate"], record)
                  : *predicate_type == kDeviceReportPredicate
                      ? read_device_report(s["predicate"], record)
                      : Status(malformed("predicateType", "is not a report this server stores"));
    if (!read) return read.take_error();
    return record;
}

}  // namespace edgeverify::server
