// The Notary Project payload (FORMATS.md C.2) and the RFC 3339 times of the protected header.
#include <cctype>

#include "edgeverify/civil_time.hpp"
#include "edgeverify/json.hpp"
#include "notation/notation_support.hpp"

namespace edgeverify {
namespace {

Error violation(std::string_view where, const std::string& why) {
    return make_error(Errc::schema_violation, std::string(where) + ": " + why);
}

std::optional<int> digits(std::string_view text, std::size_t at, std::size_t count) {
    if (at + count > text.size()) return std::nullopt;
    int value = 0;
    for (std::size_t i = at; i < at + count; ++i) {
        if (!std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
        value = value * 10 + (text[i] - '0');
    }
    return value;
}

}  // namespace

std::optional<std::int64_t> parse_rfc3339(std::string_view text) {
    // YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM)
    const auto year = digits(text, 0, 4), month = digits(text, 5, 2), day = digits(text, 8, 2);
    const auto hour = digits(text, 11, 2), minute = digits(text, 14, 2), second = digits(text, 17, 2);
    if (!year || !month || !day || !hour || !minute || !second || text[4] != '-' || text[7] != '-' ||
        (text[10] != 'T' && text[10] != 't') || text[13] != ':' || text[16] != ':') {
        return std::nullopt;
    }
    static constexpr int kDaysInMonth[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (*month < 1 || *month > 12 || *day < 1 || *day > kDaysInMonth[*month - 1] || *hour > 23 || *minute > 59 ||
        *second > 60) {
        return std::nullopt;
    }
    std::size_t pos = 19;
    if (pos < text.size() && text[pos] == '.') {
        ++pos;
        const std::size_t start = pos;
        while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) ++pos;
        if (pos == start) return std::nullopt;
    }
    std::int64_t offset = 0;
    if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
        ++pos;
    } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
        const auto oh = digits(text, pos + 1, 2), om = digits(text, pos + 4, 2);
        if (!oh || !om || pos + 3 >= text.size() || text[pos + 3] != ':' || *oh > 23 || *om > 59) return std::nullopt;
        offset = (*oh * 3600 + *om * 60) * (text[pos] == '+' ? 1 : -1);
        pos += 6;
    } else {
        return std::nullopt;
    }
    if (pos != text.size()) return std::nullopt;
    return days_from_civil(*year, static_cast<unsigned>(*month), static_cast<unsigned>(*day)) * 86400 +
           *hour * 3600 + *minute * 60 + *second - offset;
}

namespace notation {

Expected<NotationDescriptor> parse_payload(std::string_view payload, std::string_view where) {
    auto json = parse_json_strict(payload, where);
    if (!json) return json.take_error();
    if (!json->is_object()) return violation(where, "the payload is not a JSON object");
    const auto target = json->find("targetArtifact");
    if (target == json->end() || !target->is_object()) return violation(where, "targetArtifact (an object) is missing");
    const auto media_type = target->find("mediaType");
    const auto digest = target->find("digest");
    const auto size = target->find("size");
    if (media_type == target->end() || !media_type->is_string()) return violation(where, "targetArtifact.mediaType must be a string");
    if (digest == target->end() || !digest->is_string()) return violation(where, "targetArtifact.digest must be a string");
    if (size == target->end() || !size->is_number_unsigned()) {
        return violation(where, "targetArtifact.size must be a non-negative integer");
    }
    auto parsed = Digest::parse(digest->get<std::string>());
    if (!parsed) return violation(where, "targetArtifact.digest: " + parsed.error().message);
    NotationDescriptor out;
    out.media_type = media_type->get<std::string>();
    out.digest = std::move(*parsed);
    out.size = size->get<std::uint64_t>();
    return out;
}

}  // namespace notation
}  // namespace edgeverify
