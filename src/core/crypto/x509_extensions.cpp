// The extensions of a certificate as a list (oid, critical, value), walked in DER: mbedTLS 2.28
// parses the standard ones but keeps neither their criticality nor the unknown ones (Fulcio's
// 1.3.6.1.4.1.57264.1.*, the SCT list 1.3.6.1.4.1.11129.2.4.2).
#include "crypto/x509_extensions.hpp"

#include <string>

#include "crypto/der.hpp"

namespace edgeverify {
namespace {

constexpr std::uint8_t kDerBoolean = 0x01;
constexpr std::string_view kOidBasicConstraints = "2.5.29.19";
constexpr std::string_view kOidKeyUsage = "2.5.29.15";
constexpr std::string_view kOidExtendedKeyUsage = "2.5.29.37";
constexpr std::string_view kOidCrlDistributionPoints = "2.5.29.31";
constexpr std::string_view kOidAuthorityInfoAccess = "1.3.6.1.5.5.7.1.1";
constexpr std::string_view kOidOcspAccess = "1.3.6.1.5.5.7.48.1";

// AuthorityInfoAccess: SEQUENCE OF SEQUENCE { accessMethod OID, accessLocation }.
bool has_ocsp_access(std::string_view value) {
    auto list = crypto::der_single(value, crypto::kDerSequence);
    if (!list) return false;
    crypto::DerReader entries(*list);
    while (auto entry = entries.read(crypto::kDerSequence)) {
        crypto::DerReader fields(*entry);
        auto method = fields.read(crypto::kDerOid);
        if (method && crypto::oid_to_string(*method) == kOidOcspAccess) return true;
    }
    return false;
}

}  // namespace

const CertificateExtension* Certificate::extension(std::string_view oid) const {
    for (const CertificateExtension& e : extensions) {
        if (e.oid == oid) return &e;
    }
    return nullptr;
}

// Extensions ::= SEQUENCE OF SEQUENCE { extnID OID, critical BOOLEAN DEFAULT FALSE, OCTET STRING }
Status crypto::read_certificate_extensions(std::string_view extensions, Certificate& out, std::string_view where) {
    if (extensions.empty()) return {};
    const auto bad = [&](const std::string& what) {
        return make_error(Errc::key_malformed, std::string(where) + ": certificate extensions: " + what);
    };
    auto list = der_single(extensions, kDerSequence);
    if (!list) return bad("not one DER SEQUENCE");
    DerReader entries(*list);
    while (!entries.empty()) {
        auto entry = entries.read(kDerSequence);
        if (!entry) return bad("an entry is not a SEQUENCE");
        DerReader fields(*entry);
        auto oid = fields.read(kDerOid);
        CertificateExtension parsed{oid ? oid_to_string(*oid) : std::string(), false, {}};
        if (parsed.oid.empty()) return bad("an entry has no valid extnID");
        if (fields.peek_tag() == kDerBoolean) {
            auto flag = fields.read(kDerBoolean);
            if (!flag || flag->size() != 1) return bad(parsed.oid + ": bad critical flag");
            parsed.critical = static_cast<std::uint8_t>((*flag)[0]) == 0xFF;
        }
        auto value = fields.read(kDerOctetString);
        if (!value || !fields.empty()) return bad(parsed.oid + ": bad extnValue");
        if (out.extension(parsed.oid) != nullptr) return bad(parsed.oid + " appears twice");  // RFC 5280 4.2
        parsed.value = std::string(*value);
        if (parsed.oid == kOidBasicConstraints) out.basic_constraints_critical = parsed.critical;
        if (parsed.oid == kOidKeyUsage) out.key_usage_critical = parsed.critical;
        if (parsed.oid == kOidExtendedKeyUsage) out.extended_key_usage_critical = parsed.critical;
        if (parsed.oid == kOidCrlDistributionPoints) out.has_revocation_pointers = true;
        if (parsed.oid == kOidAuthorityInfoAccess && has_ocsp_access(parsed.value)) out.has_revocation_pointers = true;
        out.extensions.push_back(std::move(parsed));
    }
    return {};
}

}  // namespace edgeverify
