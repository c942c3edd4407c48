// What a Fulcio certificate says about its signer (FORMATS.md B.4 step 8): the SAN value, the OIDC
// issuer extension, and the code-signing EKU. mbedTLS 2.28 keeps neither URI/email SANs nor
// unknown extensions, so the values are read from the extension list in DER.
#include <string>

#include "crypto/der.hpp"
#include "edgeverify/x509.hpp"

namespace edgeverify {
namespace {

constexpr std::string_view kOidSubjectAltName = "2.5.29.17";
constexpr std::string_view kOidCodeSigning = "1.3.6.1.5.5.7.3.3";
constexpr std::string_view kOidFulcioIssuerV2 = "1.3.6.1.4.1.57264.1.8";
constexpr std::string_view kOidFulcioIssuerV1 = "1.3.6.1.4.1.57264.1.1";
constexpr std::string_view kOidFulcioUsername = "1.3.6.1.4.1.57264.1.7";

// GeneralName tags (RFC 5280 4.2.1.6, IMPLICIT context-specific).
constexpr std::uint8_t kTagOtherName = 0xA0;
constexpr std::uint8_t kTagRfc822Name = 0x81;
constexpr std::uint8_t kTagUri = 0x86;
constexpr std::uint8_t kDerUtf8String = 0x0C;

}  // namespace

bool has_code_signing_eku(const Certificate& cert) {
    for (const std::string& usage : cert.extended_key_usage) {
        if (usage == kOidCodeSigning) return true;
    }
    return false;
}

std::string certificate_san(const Certificate& cert) {
    const CertificateExtension* ext = cert.extension(kOidSubjectAltName);
    if (ext == nullptr) return {};
    auto names = crypto::der_single(ext->value, crypto::kDerSequence);
    if (!names) return {};
    std::string uri, email, username;
    crypto::DerReader reader(*names);
    while (auto tag = reader.peek_tag()) {
        auto value = reader.read(*tag);
        if (!value) break;
        if (*tag == kTagUri && uri.empty()) uri = std::string(*value);
        if (*tag == kTagRfc822Name && email.empty()) email = std::string(*value);
        if (*tag == kTagOtherName && username.empty()) {  // { type-id OID, [0] EXPLICIT UTF8String }
            crypto::DerReader other(*value);
            auto oid = other.read(crypto::kDerOid);
            auto wrapped = other.read(0xA0);
            if (oid && wrapped && crypto::oid_to_string(*oid) == kOidFulcioUsername) {
                if (auto text = crypto::der_single(*wrapped, kDerUtf8String)) username = std::string(*text);
            }
        }
    }
    return !uri.empty() ? uri : !email.empty() ? email : username;
}

std::string certificate_oidc_issuer(const Certificate& cert) {
    if (const CertificateExtension* v2 = cert.extension(kOidFulcioIssuerV2)) {
        auto text = crypto::der_single(v2->value, kDerUtf8String);
        return text ? std::string(*text) : std::string();
    }
    if (const CertificateExtension* v1 = cert.extension(kOidFulcioIssuerV1)) return v1->value;
    return {};
}

}  // namespace edgeverify
