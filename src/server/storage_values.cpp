// Value checks and conversions of the storage modules (storage_values.hpp).
#include "server/storage_values.hpp"

#include <charconv>
#include <limits>

#include "edgeverify/digest.hpp"
#include "edgeverify/limits.hpp"

namespace edgeverify::server {

bool is_utf8_without_nul(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
        auto c = static_cast<unsigned char>(text[i]);
        if (c == 0) return false;
        if (c < 0x80) {
            ++i;
            continue;
        }
        std::size_t extra = 0;
        std::uint32_t code = 0;
        if ((c & 0xE0) == 0xC0) {
            extra = 1;
            code = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            extra = 2;
            code = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            extra = 3;
            code = c & 0x07;
        } else {
            return false;
        }
        if (i + extra >= text.size()) return false;  // truncated sequence
        for (std::size_t k = 1; k <= extra; ++k) {
            auto next = static_cast<unsigned char>(text[i + k]);
            if ((next & 0xC0) != 0x80) return false;
            code = (code << 6) | (next & 0x3F);
        }
        // Overlong forms, UTF-16 surrogates and code points above U+10FFFF are not UTF-8.
        static constexpr std::uint32_t kMinimum[] = {0, 0x80, 0x800, 0x10000};
        if (code < kMinimum[extra] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return false;
        i += extra + 1;
    }
    return true;
}

Status check_text(std::string_view field, std::string_view value, std::size_t max_bytes,
                  std::string_view limit_name) {
    if (value.size() > max_bytes)
        return make_error(Errc::limit_exceeded, std::string(field) + " is " + std::to_string(value.size()) +
                                                    " bytes, over " + std::string(limit_name) + " (" +
                                                    std::to_string(max_bytes) + ")");
    if (!is_utf8_without_nul(value))
        return make_error(Errc::schema_violation,
                          std::string(field) + " is not UTF-8 text without NUL bytes");
    return {};
}

Status check_required_text(std::string_view field, std::string_view value, std::size_t max_bytes,
                           std::string_view limit_name) {
    if (value.empty()) return make_error(Errc::schema_violation, std::string(field) + " is empty");
    return check_text(field, value, max_bytes, limit_name);
}

std::string sha256_text(std::string_view bytes) {
    return digest_of(DigestAlgorithm::sha256, bytes).str();
}

std::int64_t column_int(const std::optional<std::string>& text) {
    return column_optional_int(text).value_or(0);
}

std::optional<std::int64_t> column_optional_int(const std::optional<std::string>& text) {
    if (!text) return std::nullopt;
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (ec != std::errc{} || end != text->data() + text->size()) return std::nullopt;
    return value;
}

Status check_report_record(const ReportRecord& r) {
    using namespace limits;
    if (auto s = check_required_text("report device id", r.device_id, kMaxDeviceIdBytes, "kMaxDeviceIdBytes");
        !s)
        return s;
    const std::string where = "report " + std::to_string(r.sequence) + " of device " + r.device_id;
    if (r.sequence == 0) return make_error(Errc::schema_violation, where + ": sequence 0 is never issued");
    if (r.sequence > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
        return make_error(Errc::limit_exceeded, where + ": sequence is above 2^63-1, the largest stored");
    Status checks[] = {
        check_required_text(where + ": envelope", r.envelope, kMaxReportBytes, "kMaxReportBytes"),
        check_required_text(where + ": predicate type", r.predicate_type, kMaxReportReferenceBytes,
                            "kMaxReportReferenceBytes"),
        check_required_text(where + ": subject name", r.subject_name, kMaxReportReferenceBytes,
                            "kMaxReportReferenceBytes"),
        check_required_text(where + ": subject digest", r.subject_digest, kMaxReportDigestBytes,
                            "kMaxReportDigestBytes"),
        check_text(where + ": reason", r.reason, kMaxReportReasonBytes, "kMaxReportReasonBytes"),
    };
    for (auto& s : checks)
        if (!s) return s;
    if (!r.verification_result.empty() && r.verification_result != "PASSED" &&
        r.verification_result != "FAILED")
        return make_error(Errc::schema_violation, where + ": verificationResult must be PASSED or FAILED");
    if (r.images.size() > kMaxReportImages)
        return make_error(Errc::limit_exceeded, where + ": " + std::to_string(r.images.size()) +
                                                    " images, over kMaxReportImages (" +
                                                    std::to_string(kMaxReportImages) + ")");
    if (r.alarms.size() > kMaxReportAlarms)
        return make_error(Errc::limit_exceeded, where + ": " + std::to_string(r.alarms.size()) +
                                                    " alarms, over kMaxReportAlarms (" +
                                                    std::to_string(kMaxReportAlarms) + ")");
    for (const auto& image : r.images) {
        if (auto s = check_required_text(where + ": image reference", image.reference,
                                         kMaxReportReferenceBytes, "kMaxReportReferenceBytes");
            !s)
            return s;
        if (auto s = check_required_text(where + ": image digest", image.digest, kMaxReportDigestBytes,
                                         "kMaxReportDigestBytes");
            !s)
            return s;
        if (image.verdict != "admitted" && image.verdict != "unverified" && image.verdict != "not-admitted")
            return make_error(Errc::schema_violation,
                              where + ": image verdict must be admitted, unverified or not-admitted");
    }
    for (const auto& alarm : r.alarms) {
        Status alarm_checks[] = {
            check_required_text(where + ": alarm kind", alarm.kind, kMaxAlarmTextBytes, "kMaxAlarmTextBytes"),
            check_text(where + ": alarm message", alarm.message, kMaxAlarmTextBytes, "kMaxAlarmTextBytes"),
            check_text(where + ": alarm digest", alarm.digest, kMaxReportDigestBytes,
                       "kMaxReportDigestBytes"),
        };
        for (auto& s : alarm_checks)
            if (!s) return s;
    }
    return {};
}

std::string make_text_cursor(std::string_view prefix, std::string_view key) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string cursor(prefix);
    for (unsigned char c : key) {
        cursor += kHex[c >> 4];
        cursor += kHex[c & 0xF];
    }
    return cursor;
}

Expected<std::string> parse_text_cursor(std::string_view prefix, std::string_view cursor) {
    auto bad = make_error(Errc::schema_violation, "page cursor is not one this server issued");
    if (!cursor.starts_with(prefix)) return bad;
    auto hex = cursor.substr(prefix.size());
    if (hex.empty() || hex.size() % 2 != 0) return bad;
    auto nibble = [](char c) {
        return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    };
    std::string key;
    for (std::size_t i = 0; i < hex.size(); i += 2) {
        const int high = nibble(hex[i]), low = nibble(hex[i + 1]);
        if (high < 0 || low < 0) return bad;
        key += static_cast<char>(high * 16 + low);
    }
    if (!is_utf8_without_nul(key)) return bad;
    return key;
}

Status check_page_size(std::size_t limit) {
    if (limit < 1 || limit > limits::kMaxReportsPageSize)
        return make_error(Errc::limit_exceeded, "page size " + std::to_string(limit) +
                                                    " is outside 1..kMaxReportsPageSize (" +
                                                    std::to_string(limits::kMaxReportsPageSize) + ")");
    return {};
}

ReportRow report_row_from(const SqlRow& r, std::size_t first) {
    ReportRow row;
    row.id = column_int(r.at(first));
    row.device_id = column_text(r.at(first + 1));
    row.sequence = static_cast<std::uint64_t>(column_int(r.at(first + 2)));
    row.predicate_type = column_text(r.at(first + 3));
    row.subject_name = column_text(r.at(first + 4));
    row.subject_digest = column_text(r.at(first + 5));
    row.verification_result = column_text(r.at(first + 6));
    if (auto admitted = column_optional_int(r.at(first + 7))) row.admitted = *admitted != 0;
    row.time = column_int(r.at(first + 8));
    row.received_at = column_int(r.at(first + 9));
    row.alarm_count = column_int(r.at(first + 10));
    row.envelope_digest = column_text(r.at(first + 11));
    row.reason = column_text(r.at(first + 12));
    return row;
}

}  // namespace edgeverify::server
