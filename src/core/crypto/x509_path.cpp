// X.509 path validation at a chosen time and the Fulcio identity of a leaf (x509.hpp): issuer
// links verified with the issuer's key, CA flags, validity windows at the verified time.
#include <string>

#include "crypto/der.hpp"
#include "edgeverify/x509.hpp"

namespace edgeverify {
namespace {

using crypto::DerReader;

constexpr std::string_view kBasicConstraints = "2.5.29.19";
constexpr std::string_view kExtendedKeyUsage = "2.5.29.37";
constexpr std::string_view kSubjectAltName = "2.5.29.17";
constexpr std::string_view kCodeSigning = "1.3.6.1.5.5.7.3.3";
constexpr std::string_view kFulcioIssuerV2 = "1.3.6.1.4.1.57264.1.8";
constexpr std::string_view kFulcioIssuerV1 = "1.3.6.1.4.1.57264.1.1";
constexpr std::string_view kFulcioUsername = "1.3.6.1.4.1.57264.1.7";

// Which key type each signature algorithm pairs with, and the scheme to verify with.
struct AlgorithmUse {
    std::string_view oid;
    KeyType key;
    SignatureScheme scheme;
};
constexpr AlgorithmUse kAlgorithms[] = {
    {"1.2.840.10045.4.3.2", KeyType::ecdsa_p256, SignatureScheme::key_default},
    {"1.2.840.10045.4.3.3", KeyType::ecdsa_p384, SignatureScheme::key_default},
    {"1.2.840.10045.4.3.4", KeyType::ecdsa_p521, SignatureScheme::key_default},
    {"1.2.840.113549.1.1.11", KeyType::rsa, SignatureScheme::rsa_pkcs1_sha256},
};

std::string describe_time(std::int64_t t) { return std::to_string(t); }

}  // namespace

bool is_ca(const Certificate& cert) {
    const CertificateExtension* ext = cert.extension(kBasicConstraints);
    if (ext == nullptr) return false;
    auto sequence = crypto::der_single(ext->value, crypto::kDerSequence);
    if (!sequence) return false;
    DerReader reader(*sequence);
    auto flag = reader.read(0x01);
    return flag && flag->size() == 1 && static_cast<std::uint8_t>((*flag)[0]) == 0xFF;
}

bool has_code_signing_eku(const Certificate& cert) {
    const CertificateExtension* ext = cert.extension(kExtendedKeyUsage);
    if (ext == nullptr) return false;
    auto sequence = crypto::der_single(ext->value, crypto::kDerSequence);
    if (!sequence) return false;
    DerReader reader(*sequence);
    while (auto oid = reader.read(crypto::kDerOid))
        if (crypto::oid_to_string(*oid) == kCodeSigning) return true;
    return false;
}

Status verify_issued_by(const Certificate& subject, const Certificate& issuer) {
    if (subject.issuer_der != issuer.subject_der)
        return make_error(Errc::signature_invalid, "certificate issuer name is not the issuer's subject");
    auto key = parse_public_key_der(issuer.spki_der, "issuer certificate");
    if (!key) return key.take_error();
    for (const AlgorithmUse& use : kAlgorithms) {
        if (use.oid != subject.signature_algorithm) continue;
        if (use.key != key->type())
            return make_error(Errc::unsupported_key, "signature algorithm " + subject.signature_algorithm +
                                                         " with a " + std::string(key_type_name(key->type())) + " issuer key");
        return verify_signature(*key, subject.tbs_der, subject.signature, use.scheme);
    }
    return make_error(Errc::unsupported_key, "certificate signature algorithm " + subject.signature_algorithm +
                                                 " is not supported");
}

Status verify_path_at(const Certificate& leaf, const std::vector<Certificate>& chain, std::int64_t time) {
    if (chain.empty()) return make_error(Errc::untrusted, "certificate path has no issuer");
    const auto outside = [&](const Certificate& c, const std::string& which) -> std::optional<Error> {
        if (time >= c.not_before && time <= c.not_after) return std::nullopt;
        return make_error(Errc::untrusted, which + " is not valid at " + describe_time(time) + " (valid " +
                                               describe_time(c.not_before) + ".." + describe_time(c.not_after) + ")");
    };
    if (auto e = outside(leaf, "the signing certificate")) return *e;
    const Certificate* child = &leaf;
    for (std::size_t i = 0; i < chain.size(); ++i) {
        const std::string which = "CA certificate " + std::to_string(i);
        if (auto e = outside(chain[i], which)) return *e;
        if (!is_ca(chain[i])) return make_error(Errc::untrusted, which + " is not a CA");
        if (auto linked = verify_issued_by(*child, chain[i]); !linked) {
            return make_error(linked.error().code,
                              (i == 0 ? std::string("the signing certificate") : "CA certificate " + std::to_string(i - 1)) +
                                  " is not issued by " + which + ": " + linked.error().message);
        }
        child = &chain[i];
    }
    return {};
}

std::string certificate_san(const Certificate& cert) {
    const CertificateExtension* ext = cert.extension(kSubjectAltName);
    if (ext == nullptr) return {};
    auto names = crypto::der_single(ext->value, crypto::kDerSequence);
    if (!names) return {};
    std::string uri, email, username;
    DerReader reader(*names);
    while (auto tag = reader.peek_tag()) {
        auto value = reader.read(*tag);
        if (!value) break;
        if (*tag == 0x86 && uri.empty()) uri = std::string(*value);
        if (*tag == 0x81 && email.empty()) email = std::string(*value);
        if (*tag == 0xA0 && username.empty()) {  // otherName { type-id OID, [0] EXPLICIT UTF8String }
            DerReader other(*value);
            auto oid = other.read(crypto::kDerOid);
            auto wrapped = other.read(0xA0);
            if (oid && wrapped && crypto::oid_to_string(*oid) == kFulcioUsername) {
                if (auto text = crypto::der_single(*wrapped, 0x0C)) username = std::string(*text);
            }
        }
    }
    return !uri.empty() ? uri : !email.empty() ? email : username;
}

std::string certificate_oidc_issuer(const Certificate& cert) {
    if (const CertificateExtension* v2 = cert.extension(kFulcioIssuerV2)) {
        auto text = crypto::der_single(v2->value, 0x0C);
        return text ? std::string(*text) : std::string();
    }
    if (const CertificateExtension* v1 = cert.extension(kFulcioIssuerV1)) return v1->value;
    return {};
}

}  // namespace edgeverify
