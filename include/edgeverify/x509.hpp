// X.509 certificates as Sigstore keyless verification needs them (FORMATS.md B.4 steps 4, 5, 8):
// strict DER parsing of the fields used, path validation at a given time (never the wall
// clock), and the extensions Fulcio writes (SAN, issuer OIDs, SCT list).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "edgeverify/crypto.hpp"
#include "edgeverify/error.hpp"

namespace edgeverify {

struct CertificateExtension {
    std::string oid;    // dotted
    bool critical = false;
    std::string value;  // the OCTET STRING contents
};

struct Certificate {
    std::string der;
    std::string tbs_der;                // the whole TBSCertificate element (what is signed)
    std::string signature_algorithm;    // dotted OID
    std::string signature;              // BIT STRING contents without the unused-bits byte
    std::string issuer_der, subject_der;  // whole Name elements, compared byte for byte
    std::int64_t not_before = 0, not_after = 0;  // unix seconds, inclusive
    std::string spki_der;
    std::vector<CertificateExtension> extensions;

    const CertificateExtension* extension(std::string_view oid) const;
};

// Parses one DER certificate (v3). Malformed -> Errc::schema_violation naming `where`.
Expected<Certificate> parse_certificate_der(std::string_view der, std::string_view where);

// Whether `cert` is a CA (basicConstraints cA TRUE).
bool is_ca(const Certificate& cert);
// Whether extendedKeyUsage lists id-kp-codeSigning (1.3.6.1.5.5.7.3.3).
bool has_code_signing_eku(const Certificate& cert);

// Checks that `subject` was issued by `issuer`: names match and the signature over the TBS
// verifies with the issuer's key (ecdsa-with-SHA256/384/512 matching the issuer's curve, or
// sha256WithRSAEncryption). Errors: signature_invalid, unsupported_key for other algorithms.
Status verify_issued_by(const Certificate& subject, const Certificate& issuer);

// Validates leaf -> chain[0] -> ... -> chain.back() (the trust anchor, self-signed or not) at
// `time`: every certificate's validity window contains `time`, each issuer is a CA, every
// signature verifies. Errors: Errc::untrusted naming the certificate that is outside its window
// or not a CA; signature_invalid for a broken link.
Status verify_path_at(const Certificate& leaf, const std::vector<Certificate>& chain, std::int64_t time);

// Fulcio identity: the first URI SAN, else the first email SAN, else the OtherName SAN
// 1.3.6.1.4.1.57264.1.7 (UTF8String); empty when there is none.
std::string certificate_san(const Certificate& cert);
// The OIDC issuer: extension 1.3.6.1.4.1.57264.1.8 (DER UTF8String) or legacy .1.1 (raw bytes);
// empty when there is none.
std::string certificate_oidc_issuer(const Certificate& cert);

}  // namespace edgeverify
