// RFC 3161 TimeStampToken parsing (RFC 5652 CMS SignedData around a TSTInfo) with the project's
// DER reader: mbedTLS 2.28 has no CMS parser. Nothing is verified here (timestamp_verify.cpp).
#include <array>

#include "crypto/der.hpp"
#include "crypto/timestamp_support.hpp"
#include "edgeverify/hex.hpp"
#include "edgeverify/limits.hpp"
#include "edgeverify/timestamp.hpp"

namespace edgeverify {
namespace {

using crypto::DerReader;
using crypto::kDerInteger;
using crypto::kDerOctetString;
using crypto::kDerOid;
using crypto::kDerSequence;
using crypto::oid_to_string;
using timestamp_detail::TokenParser;

constexpr std::uint8_t kDerSet = 0x31, kDerGeneralizedTime = 0x18, kDerBoolean = 0x01;
constexpr std::uint8_t kContext0 = 0xA0, kContext1 = 0xA1, kImplicit0 = 0x80, kImplicit1 = 0x81;
constexpr std::string_view kOidSignedData = "1.2.840.113549.1.7.2";
constexpr std::string_view kOidTstInfo = "1.2.840.113549.1.9.16.1.4";

Status parse_tst_info(std::string_view der, const TokenParser& p, TimestampToken& out) {
    DerReader outer(der);
    auto info = p.need(outer, kDerSequence, "TSTInfo");
    if (!info) return info.take_error();
    if (!outer.empty()) return p.bad("TSTInfo", "bytes after the structure");
    DerReader fields(*info);
    auto version = p.need(fields, kDerInteger, "TSTInfo version");
    if (!version) return version.take_error();
    if (*version != std::string_view("\x01", 1)) return p.bad("TSTInfo version", "is not 1");
    auto policy = p.need_oid(fields, "TSTInfo policy");
    if (!policy) return policy.take_error();
    out.policy_oid = std::move(*policy);
    auto imprint = p.need(fields, kDerSequence, "TSTInfo messageImprint");
    if (!imprint) return imprint.take_error();
    DerReader imprint_fields(*imprint);
    auto algorithm = p.algorithm(imprint_fields, "TSTInfo messageImprint hashAlgorithm");
    if (!algorithm) return algorithm.take_error();
    out.imprint_algorithm = timestamp_detail::hash_name(*algorithm);
    if (out.imprint_algorithm.empty())
        return p.bad("TSTInfo messageImprint hashAlgorithm", "unknown hash " + *algorithm);
    auto hashed = p.need(imprint_fields, kDerOctetString, "TSTInfo messageImprint hashedMessage");
    if (!hashed) return hashed.take_error();
    if (!imprint_fields.empty()) return p.bad("TSTInfo messageImprint", "unexpected fields");
    out.imprint = std::string(*hashed);
    auto serial = p.need(fields, kDerInteger, "TSTInfo serialNumber");
    if (!serial) return serial.take_error();
    out.serial_hex = hex_encode(*serial);
    auto gen_time = p.need(fields, kDerGeneralizedTime, "TSTInfo genTime");
    if (!gen_time) return gen_time.take_error();
    auto seconds = timestamp_detail::parse_generalized_time(*gen_time);
    if (!seconds)
        return p.bad("TSTInfo genTime", "\"" + std::string(*gen_time) + "\" is not YYYYMMDDHHMMSS[.f]Z");
    out.gen_time = *seconds;
    if (fields.peek_tag() == kDerSequence) {
        auto accuracy = fields.read(kDerSequence);
        if (!accuracy) return p.bad("TSTInfo accuracy", "malformed");
        DerReader parts(*accuracy);
        std::int64_t micros = 0;
        const std::array<std::pair<std::uint8_t, std::int64_t>, 3> units{
            {{kDerInteger, 1000000}, {kImplicit0, 1000}, {kImplicit1, 1}}};
        for (const auto& [tag, scale] : units) {
            if (parts.peek_tag() != tag) continue;
            auto value = parts.read(tag);
            if (!value || value->empty() || value->size() > 4 ||
                (static_cast<std::uint8_t>((*value)[0]) & 0x80))
                return p.bad("TSTInfo accuracy", "malformed");
            std::int64_t n = 0;
            for (const char c : *value) n = (n << 8) | static_cast<std::uint8_t>(c);
            micros += n * scale;
        }
        if (!parts.empty()) return p.bad("TSTInfo accuracy", "unexpected fields");
        out.accuracy_micros = micros;
    }
    if (fields.peek_tag() == kDerBoolean && !fields.read(kDerBoolean))
        return p.bad("TSTInfo ordering", "malformed");
    if (fields.peek_tag() == kDerInteger && !fields.read(kDerInteger))
        return p.bad("TSTInfo nonce", "malformed");
    if (fields.peek_tag() == kContext0) {
        auto name = fields.read(kContext0);
        if (!name) return p.bad("TSTInfo tsa", "malformed");
        out.tsa_name_der = std::string(*name);
    }
    if (fields.peek_tag() == kContext1 && !fields.read(kContext1))
        return p.bad("TSTInfo extensions", "malformed");
    if (!fields.empty()) return p.bad("TSTInfo", "unexpected trailing fields");
    return {};
}

Status parse_signer_info(std::string_view contents, const TokenParser& p, TimestampToken& out) {
    DerReader fields(contents);
    auto version = p.need(fields, kDerInteger, "SignerInfo version");
    if (!version) return version.take_error();
    if (fields.peek_tag() == kDerSequence) {
        auto sid_element = fields.read(kDerSequence);
        if (!sid_element) return p.bad("SignerInfo sid", "malformed issuerAndSerialNumber");
        DerReader sid(*sid_element);
        auto issuer = sid.read_element(kDerSequence);
        auto serial = sid.read(kDerInteger);
        if (!issuer || !serial || !sid.empty())
            return p.bad("SignerInfo sid", "malformed issuerAndSerialNumber");
        out.sid_issuer_der = std::string(*issuer);
        out.sid_serial_der = std::string(*serial);
    } else if (fields.peek_tag() == kImplicit0) {
        auto key_id = fields.read(kImplicit0);
        if (!key_id || key_id->empty()) return p.bad("SignerInfo sid", "malformed subjectKeyIdentifier");
        out.sid_key_id = std::string(*key_id);
    } else {
        return p.bad("SignerInfo sid", "missing");
    }
    auto digest = p.algorithm(fields, "SignerInfo digestAlgorithm");
    if (!digest) return digest.take_error();
    out.digest_algorithm = timestamp_detail::hash_name(*digest);
    if (out.digest_algorithm.empty()) return p.bad("SignerInfo digestAlgorithm", "unknown hash " + *digest);
    auto attributes = p.need(fields, kContext0, "SignerInfo signedAttrs");
    if (!attributes) return attributes.take_error();
    if (auto ok = timestamp_detail::parse_signed_attributes(*attributes, p, out); !ok) return ok;
    auto algorithm = p.algorithm(fields, "SignerInfo signatureAlgorithm", &out.signature_algorithm_params);
    if (!algorithm) return algorithm.take_error();
    out.signature_algorithm_oid = std::move(*algorithm);
    auto signature = p.need(fields, kDerOctetString, "SignerInfo signature");
    if (!signature) return signature.take_error();
    out.signature = std::string(*signature);
    if (fields.peek_tag() == kContext1 && !fields.read(kContext1))
        return p.bad("SignerInfo unsignedAttrs", "malformed");
    if (!fields.empty()) return p.bad("SignerInfo", "unexpected trailing fields");
    return {};
}

Status parse_signed_data(std::string_view contents, const TokenParser& p, std::string_view where,
                         TimestampToken& out) {
    DerReader fields(contents);
    if (!p.need(fields, kDerInteger, "SignedData version")) return p.bad("SignedData version", "missing");
    if (!p.need(fields, kDerSet, "SignedData digestAlgorithms"))
        return p.bad("SignedData digestAlgorithms", "missing");
    auto encapsulated = p.need(fields, kDerSequence, "SignedData encapContentInfo");
    if (!encapsulated) return encapsulated.take_error();
    DerReader encap(*encapsulated);
    auto type = p.need_oid(encap, "encapContentInfo eContentType");
    if (!type) return type.take_error();
    if (*type != kOidTstInfo) return p.bad("encapContentInfo eContentType", *type + " is not id-ct-TSTInfo");
    auto explicit_content = p.need(encap, kContext0, "encapContentInfo eContent");
    if (!explicit_content || !encap.empty())
        return p.bad("encapContentInfo eContent", "missing or malformed");
    auto tst_info = crypto::der_single(*explicit_content, kDerOctetString);
    if (!tst_info) return p.bad("encapContentInfo eContent", "not one OCTET STRING");
    out.tst_info_der = std::string(*tst_info);
    if (auto ok = parse_tst_info(out.tst_info_der, p, out); !ok) return ok;
    if (fields.peek_tag() == kContext0) {
        auto certificates_element = fields.read(kContext0);
        if (!certificates_element) return p.bad("SignedData certificates", "malformed");
        DerReader certificates(*certificates_element);
        while (!certificates.empty()) {
            if (out.certificates.size() >= limits::kMaxTimestampCertificates)
                return p.bad("SignedData certificates",
                             "more than kMaxTimestampCertificates (" +
                                 std::to_string(limits::kMaxTimestampCertificates) + ")");
            auto element = certificates.read_element(kDerSequence);
            if (!element) return p.bad("SignedData certificates", "an entry is not an X.509 certificate");
            auto cert = parse_certificate_der(*element, std::string(where) + " timestamp certificate " +
                                                            std::to_string(out.certificates.size()));
            if (!cert) return make_error(Errc::signature_invalid, cert.error().message);
            out.certificates.push_back(std::move(*cert));
        }
    }
    if (fields.peek_tag() == kContext1 && !fields.read(kContext1))
        return p.bad("SignedData crls", "malformed");
    auto signers = p.need(fields, kDerSet, "SignedData signerInfos");
    if (!signers) return signers.take_error();
    if (!fields.empty()) return p.bad("SignedData", "unexpected trailing fields");
    DerReader signer_list(*signers);
    auto signer = p.need(signer_list, kDerSequence, "SignedData signerInfos");
    if (!signer) return p.bad("SignedData signerInfos", "no SignerInfo");
    if (!signer_list.empty()) return p.bad("SignedData signerInfos", "more than one SignerInfo");
    return parse_signer_info(*signer, p, out);
}

}  // namespace

Expected<TimestampToken> parse_timestamp_token(std::string_view der, std::string_view where) {
    if (der.size() > limits::kMaxTimestampTokenBytes) {
        return make_error(Errc::limit_exceeded, std::string(where) + ": timestamp token of " +
                                                    std::to_string(der.size()) +
                                                    " bytes exceeds kMaxTimestampTokenBytes (" +
                                                    std::to_string(limits::kMaxTimestampTokenBytes) + ")");
    }
    const TokenParser p(where);
    auto outer = crypto::der_single(der, kDerSequence);
    if (!outer) return p.bad("ContentInfo", "not one DER SEQUENCE");
    DerReader fields(*outer);
    std::string_view content_info = *outer;
    if (fields.peek_tag() == kDerSequence) {  // TimeStampResp { PKIStatusInfo, TimeStampToken }
        auto status_element = fields.read(kDerSequence);
        if (!status_element) return p.bad("TimeStampResp status", "malformed");
        DerReader status(*status_element);
        auto code = status.read(kDerInteger);
        if (!code || code->size() != 1 || static_cast<std::uint8_t>((*code)[0]) > 1)
            return p.bad("TimeStampResp status", "not granted (" + hex_encode(code.value_or("")) + ")");
        auto token = fields.read(kDerSequence);
        if (!token || !fields.empty()) return p.bad("TimeStampResp timeStampToken", "missing or malformed");
        content_info = *token;
    }
    DerReader info(content_info);
    auto type = p.need_oid(info, "ContentInfo contentType");
    if (!type) return type.take_error();
    if (*type != kOidSignedData) return p.bad("ContentInfo contentType", *type + " is not id-signedData");
    auto explicit_content = p.need(info, kContext0, "ContentInfo content");
    if (!explicit_content || !info.empty()) return p.bad("ContentInfo content", "missing or malformed");
    auto signed_data = crypto::der_single(*explicit_content, kDerSequence);
    if (!signed_data) return p.bad("SignedData", "not one DER SEQUENCE");
    TimestampToken token;
    if (auto ok = parse_signed_data(*signed_data, p, where, token); !ok) return ok.take_error();
    if (token.content_type_attribute != kOidTstInfo)
        return p.bad("content-type attribute", token.content_type_attribute + " is not id-ct-TSTInfo");
    return token;
}

}  // namespace edgeverify
