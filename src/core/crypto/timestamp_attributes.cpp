// The signed attributes of an RFC 3161 token's SignerInfo (RFC 5652 5.3, RFC 5035 ESS
// signing-certificate and -v2): what the signature covers and which certificate made it.
#include "crypto/der.hpp"
#include "crypto/timestamp_support.hpp"
#include "edgeverify/limits.hpp"

namespace edgeverify::timestamp_detail {
namespace {

using crypto::DerReader;
using crypto::kDerOctetString;
using crypto::kDerSequence;

constexpr std::uint8_t kDerSet = 0x31;
constexpr std::string_view kOidContentType = "1.2.840.113549.1.9.3";
constexpr std::string_view kOidMessageDigest = "1.2.840.113549.1.9.4";
constexpr std::string_view kOidSigningCertificate = "1.2.840.113549.1.9.16.2.12";
constexpr std::string_view kOidSigningCertificateV2 = "1.2.840.113549.1.9.16.2.47";

Status parse_ess(std::string_view value, bool v2, const TokenParser& p, TimestampToken& out) {
    const std::string_view field = v2 ? "signing-certificate-v2 attribute" : "signing-certificate attribute";
    DerReader outer(value);
    auto signing = p.need(outer, kDerSequence, field);
    if (!signing || !outer.empty()) return p.bad(field, "malformed");
    DerReader parts(*signing);
    auto certs = p.need(parts, kDerSequence, field);
    if (!certs) return certs.take_error();
    DerReader ids(*certs);
    while (!ids.empty()) {
        if (out.ess_cert_ids.size() >= limits::kMaxTimestampCertificates)
            return p.bad(field, "too many ESSCertIDs");
        auto id = p.need(ids, kDerSequence, field);
        if (!id) return id.take_error();
        DerReader id_fields(*id);
        EssCertId ess;
        ess.hash_algorithm = "sha1";
        if (v2) {
            ess.hash_algorithm = "sha256";  // DEFAULT
            if (id_fields.peek_tag() == kDerSequence) {
                auto algorithm = p.algorithm(id_fields, field);
                if (!algorithm) return algorithm.take_error();
                ess.hash_algorithm = hash_name(*algorithm);
                if (ess.hash_algorithm.empty()) return p.bad(field, "unknown hash " + *algorithm);
            }
        }
        auto hash = p.need(id_fields, kDerOctetString, field);
        if (!hash) return hash.take_error();
        ess.hash = std::string(*hash);
        if (id_fields.peek_tag() == kDerSequence) {
            auto issuer_serial = id_fields.read_element(kDerSequence);
            if (!issuer_serial) return p.bad(field, "malformed issuerSerial");
            ess.issuer_serial_der = std::string(*issuer_serial);
        }
        if (!id_fields.empty()) return p.bad(field, "unexpected fields in an ESSCertID");
        out.ess_cert_ids.push_back(std::move(ess));
    }
    if (out.ess_cert_ids.empty()) return p.bad(field, "lists no certificate");
    return {};
}

// signedAttrs: content-type, message-digest, signing-certificate(-v2); each once.
}  // namespace

Status parse_signed_attributes(std::string_view contents, const TokenParser& p, TimestampToken& out) {
    out.signed_attributes_der = crypto::der_element(kDerSet, contents);
    DerReader attributes(contents);
    bool saw_v1 = false;
    std::string v1_value, v2_value;
    std::size_t count = 0;
    while (!attributes.empty()) {
        if (++count > limits::kMaxTimestampAttributes)
            return p.bad("SignerInfo signedAttrs", "too many attributes");
        auto attribute = p.need(attributes, kDerSequence, "SignerInfo signedAttrs");
        if (!attribute) return attribute.take_error();
        DerReader fields(*attribute);
        auto type = p.need_oid(fields, "SignerInfo signedAttrs attrType");
        if (!type) return type.take_error();
        auto values = p.need(fields, kDerSet, "SignerInfo signedAttrs " + *type);
        if (!values || !fields.empty()) return p.bad("SignerInfo signedAttrs " + *type, "malformed");
        const bool known = *type == kOidContentType || *type == kOidMessageDigest ||
                           *type == kOidSigningCertificate || *type == kOidSigningCertificateV2;
        if (!known) continue;
        // Each of these carries exactly one value and appears once.
        DerReader one(*values);
        const auto tag = one.peek_tag();
        auto value = tag ? one.read_element(*tag) : std::nullopt;
        if (!value || !one.empty())
            return p.bad("SignerInfo signedAttrs " + *type, "needs exactly one value");
        if (*type == kOidContentType) {
            if (!out.content_type_attribute.empty()) return p.bad("content-type attribute", "repeated");
            DerReader oid(*value);
            auto dotted = p.need_oid(oid, "content-type attribute");
            if (!dotted) return dotted.take_error();
            out.content_type_attribute = std::move(*dotted);
        } else if (*type == kOidMessageDigest) {
            if (!out.message_digest.empty()) return p.bad("message-digest attribute", "repeated");
            auto digest = crypto::der_single(*value, kDerOctetString);
            if (!digest || digest->empty()) return p.bad("message-digest attribute", "not an OCTET STRING");
            out.message_digest = std::string(*digest);
        } else if (*type == kOidSigningCertificate) {
            if (saw_v1) return p.bad("signing-certificate attribute", "repeated");
            saw_v1 = true;
            v1_value = std::string(*value);
        } else {
            if (!v2_value.empty()) return p.bad("signing-certificate-v2 attribute", "repeated");
            v2_value = std::string(*value);
        }
    }
    if (out.content_type_attribute.empty())
        return p.bad("SignerInfo signedAttrs", "no content-type attribute");
    if (out.message_digest.empty()) return p.bad("SignerInfo signedAttrs", "no message-digest attribute");
    out.ess_v2 = !v2_value.empty();
    if (!v2_value.empty()) return parse_ess(v2_value, true, p, out);
    if (saw_v1) return parse_ess(v1_value, false, p, out);
    return {};
}

}  // namespace edgeverify::timestamp_detail
