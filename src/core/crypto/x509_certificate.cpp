// Strict DER parsing of the X.509 v3 certificate fields Sigstore verification uses (x509.hpp):
// the signed TBS bytes, names, validity, key and extensions. No crypto library is involved.
#include <string>

#include "crypto/der.hpp"
#include "edgeverify/x509.hpp"

namespace edgeverify {
namespace {

using crypto::DerReader;

constexpr std::uint8_t kBoolean = 0x01;
constexpr std::uint8_t kUtcTime = 0x17;
constexpr std::uint8_t kGeneralizedTime = 0x18;
constexpr std::uint8_t kVersionTag = 0xA0;
constexpr std::uint8_t kIssuerUidTag = 0x81;
constexpr std::uint8_t kSubjectUidTag = 0x82;
constexpr std::uint8_t kExtensionsTag = 0xA3;

std::int64_t days_from_civil(int year, int month, int day) {  // Howard Hinnant's algorithm
    year -= month <= 2 ? 1 : 0;
    const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
    const int yoe = year - static_cast<int>(era * 400);
    const int doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

bool number(std::string_view text, std::size_t at, std::size_t count, int& value) {
    value = 0;
    for (std::size_t i = at; i < at + count; ++i) {
        if (i >= text.size() || text[i] < '0' || text[i] > '9') return false;
        value = value * 10 + (text[i] - '0');
    }
    return true;
}

// UTCTime "YYMMDDHHMMSSZ" (RFC 5280: YY < 50 is 20YY) or GeneralizedTime "YYYYMMDDHHMMSSZ".
std::optional<std::int64_t> read_time(DerReader& reader) {
    int year = 0;
    std::string_view text;
    if (auto utc = reader.read(kUtcTime)) {
        text = *utc;
        if (text.size() != 13 || !number(text, 0, 2, year)) return std::nullopt;
        year += year < 50 ? 2000 : 1900;
        text.remove_prefix(2);
    } else if (auto general = reader.read(kGeneralizedTime)) {
        text = *general;
        if (text.size() != 15 || !number(text, 0, 4, year)) return std::nullopt;
        text.remove_prefix(4);
    } else {
        return std::nullopt;
    }
    int month, day, hour, minute, second;
    if (!number(text, 0, 2, month) || !number(text, 2, 2, day) || !number(text, 4, 2, hour) ||
        !number(text, 6, 2, minute) || !number(text, 8, 2, second) || text[10] != 'Z' || month < 1 ||
        month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) {
        return std::nullopt;
    }
    return days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
}

std::optional<std::string> read_algorithm(DerReader& reader) {
    auto algorithm = reader.read(crypto::kDerSequence);
    if (!algorithm) return std::nullopt;
    DerReader inner(*algorithm);
    auto oid = inner.read(crypto::kDerOid);
    if (!oid) return std::nullopt;
    std::string dotted = crypto::oid_to_string(*oid);
    if (dotted.empty()) return std::nullopt;
    return dotted;
}

bool read_extensions(std::string_view explicit_contents, std::vector<CertificateExtension>& out) {
    auto list = crypto::der_single(explicit_contents, crypto::kDerSequence);
    if (!list) return false;
    DerReader reader(*list);
    while (!reader.empty()) {
        auto extension = reader.read(crypto::kDerSequence);
        if (!extension) return false;
        DerReader fields(*extension);
        auto oid = fields.read(crypto::kDerOid);
        if (!oid) return false;
        CertificateExtension parsed{crypto::oid_to_string(*oid), false, {}};
        if (auto critical = fields.read(kBoolean)) {
            if (critical->size() != 1) return false;
            parsed.critical = static_cast<std::uint8_t>((*critical)[0]) == 0xFF;
        }
        auto value = fields.read(crypto::kDerOctetString);
        if (!value || !fields.empty() || parsed.oid.empty()) return false;
        parsed.value = std::string(*value);
        for (const CertificateExtension& seen : out)
            if (seen.oid == parsed.oid) return false;  // RFC 5280: at most one instance
        out.push_back(std::move(parsed));
    }
    return true;
}

}  // namespace

const CertificateExtension* Certificate::extension(std::string_view oid) const {
    for (const CertificateExtension& e : extensions)
        if (e.oid == oid) return &e;
    return nullptr;
}

Expected<Certificate> parse_certificate_der(std::string_view der, std::string_view where) {
    const auto malformed = [&](const char* what) {
        return make_error(Errc::schema_violation, std::string(where) + ": certificate: " + what);
    };
    Certificate cert;
    cert.der = std::string(der);
    auto outer = crypto::der_single(der, crypto::kDerSequence);
    if (!outer) return malformed("not one DER SEQUENCE");
    DerReader top(*outer);
    auto tbs = top.read_element(crypto::kDerSequence);
    if (!tbs) return malformed("no TBSCertificate");
    cert.tbs_der = std::string(*tbs);
    auto algorithm = read_algorithm(top);
    if (!algorithm) return malformed("bad signatureAlgorithm");
    cert.signature_algorithm = std::move(*algorithm);
    auto signature = top.read(crypto::kDerBitString);
    if (!signature || signature->empty() || (*signature)[0] != 0 || !top.empty())
        return malformed("bad signatureValue");
    cert.signature = std::string(signature->substr(1));

    DerReader fields(*crypto::der_single(*tbs, crypto::kDerSequence));
    auto version = fields.read(kVersionTag);
    if (!version || *version != std::string_view("\x02\x01\x02", 3)) return malformed("not an X.509 v3 certificate");
    if (!fields.read(crypto::kDerInteger)) return malformed("bad serialNumber");
    auto inner_algorithm = read_algorithm(fields);
    if (!inner_algorithm || *inner_algorithm != cert.signature_algorithm)
        return malformed("TBS signature algorithm differs from the outer one");
    auto issuer = fields.read_element(crypto::kDerSequence);
    if (!issuer) return malformed("bad issuer");
    cert.issuer_der = std::string(*issuer);
    auto validity = fields.read(crypto::kDerSequence);
    if (!validity) return malformed("bad validity");
    DerReader window(*validity);
    auto not_before = read_time(window);
    auto not_after = read_time(window);
    if (!not_before || !not_after || !window.empty()) return malformed("bad validity time");
    cert.not_before = *not_before;
    cert.not_after = *not_after;
    auto subject = fields.read_element(crypto::kDerSequence);
    if (!subject) return malformed("bad subject");
    cert.subject_der = std::string(*subject);
    auto spki = fields.read_element(crypto::kDerSequence);
    if (!spki) return malformed("bad subjectPublicKeyInfo");
    cert.spki_der = std::string(*spki);
    (void)fields.read(kIssuerUidTag);
    (void)fields.read(kSubjectUidTag);
    if (auto extensions = fields.read(kExtensionsTag)) {
        if (!read_extensions(*extensions, cert.extensions)) return malformed("bad extensions");
    }
    if (!fields.empty()) return malformed("trailing data in TBSCertificate");
    return cert;
}

}  // namespace edgeverify
