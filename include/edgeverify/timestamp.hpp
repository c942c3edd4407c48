// RFC 3161 timestamp tokens verified offline (FORMATS.md B.4 step 3, C "authentic timestamp"):
// the CMS SignedData (RFC 5652) around a TSTInfo, its one signer, the ESS signing-certificate(-v2)
// attribute (RFC 5035), and the TSA certificate's path to a trusted authority at genTime.
// Used for keyless Sigstore bundles (trusted_root.json timestampAuthorities) and for Notation
// countersignatures (a trust/tsa/<name> store).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "edgeverify/certificate_authorities.hpp"
#include "edgeverify/error.hpp"
#include "edgeverify/x509.hpp"

namespace edgeverify {

struct SigstoreBundle;

// One ESSCertID / ESSCertIDv2 of the signing-certificate attribute.
struct EssCertId {
    std::string hash_algorithm;     // "sha1" (v1), "sha256", "sha384", "sha512"
    std::string hash;               // raw bytes
    std::string issuer_serial_der;  // the IssuerSerial element when present, else empty
};

// A parsed TimeStampToken. Nothing is verified yet.
struct TimestampToken {
    // TSTInfo (RFC 3161 2.4.2)
    std::string tst_info_der;       // the encapsulated content: what message-digest covers
    std::string policy_oid;         // dotted
    std::string imprint_algorithm;  // "sha256", "sha384", "sha512" ("sha1" is parsed, never accepted)
    std::string imprint;            // raw hash bytes
    std::string serial_hex;
    std::int64_t gen_time = 0;                // Unix seconds (fractions dropped)
    std::int64_t accuracy_micros = 0;         // 0 when absent
    std::optional<std::string> tsa_name_der;  // [0] GeneralName, raw
    // SignedData
    std::vector<Certificate> certificates;  // certificates [0], in token order (may be empty)
    // The one SignerInfo.
    std::string sid_issuer_der, sid_serial_der;  // issuerAndSerialNumber (serial: INTEGER contents)
    std::string sid_key_id;                      // subjectKeyIdentifier [0] (version 3)
    std::string digest_algorithm;                // of the signer: "sha256", ...
    std::string signed_attributes_der;           // re-tagged as SET OF (0x31): what is signed
    std::string signature_algorithm_oid;         // dotted
    std::string signature_algorithm_params;      // the parameters element (RSASSA-PSS), raw
    std::string signature;
    std::string content_type_attribute;   // dotted OID of the content-type attribute
    std::string message_digest;           // raw bytes of the message-digest attribute
    std::vector<EssCertId> ess_cert_ids;  // signing-certificate-v2, else signing-certificate (v1)
    bool ess_v2 = false;
};

// A DER TimeStampToken (ContentInfo of id-signedData) or a whole TimeStampResp (RFC 3161 2.4.2,
// status granted or grantedWithMods), which Sigstore bundles carry. Strict DER; exactly one
// SignerInfo; eContentType id-ct-TSTInfo; content-type and message-digest signed attributes
// required; at most kMaxTimestampCertificates certificates; a token over kMaxTimestampTokenBytes
// is Errc::limit_exceeded. Anything else -> Errc::signature_invalid naming `where` and the field
// ("TSTInfo genTime", "SignerInfo signedAttrs", ...).
Expected<TimestampToken> parse_timestamp_token(std::string_view der, std::string_view where);

// What a token is verified against: a trusted_root.json timestamp authority, or a Notation
// trust/tsa/<name> store of roots.
struct TimestampTrust {
    std::string name;  // for messages: the authority's origin or "tsa store <name>"
    // The authority's chain as trusted_root.json gives it: the TSA leaf (optional) first, then
    // intermediates, the trust anchor last. A token without certificates is verified with the
    // chain's leaf.
    const CertificateAuthority* authority = nullptr;
    // Or: roots; the token must carry the TSA certificate (and any intermediates).
    const X509Store* store = nullptr;
    bool require_ess_v2 = false;  // Notation requires signing-certificate-v2
};

struct VerifiedTimestamp {
    std::int64_t time = 0;  // genTime, Unix seconds
    std::int64_t accuracy_micros = 0;
    std::string authority;    // TimestampTrust::name
    std::string tsa_subject;  // the TSA certificate's subject, for messages
};

// Verifies `token` over `signed_bytes` (the imprint must be the hash of these bytes with the
// algorithm the token names): message-digest = hash of the TSTInfo, the signature over the
// signed attributes with the TSA certificate's key (RSA PKCS#1 v1.5 / PSS, ECDSA) found by sid
// among the token's certificates or the authority's own chain, the ESS certificate hash of that
// certificate, the TSA leaf's critical extendedKeyUsage of exactly timeStamping, its path to the
// trust anchor valid at genTime (verify_path_at), and genTime inside the authority's validFor.
// Errors: Errc::signature_invalid (imprint, digest, signature, ESS mismatch; certificate not
// found), Errc::untrusted (no path to the trust, outside validity, EKU), each naming `trust.name`.
Expected<VerifiedTimestamp> verify_timestamp_token(const TimestampToken& token, std::string_view signed_bytes,
                                                   const TimestampTrust& trust);

// --- Sigstore bundles (bundle_timestamps.cpp) ---

// The RFC 3161 timestamps of a bundle verified against trusted_root.json timestampAuthorities
// (FORMATS.md B.4 step 3, as sigstore-go pkg/verify/tsa.go): the imprint covers the raw
// signature bytes (the DSSE envelope's signature, or the messageSignature's signature). A token is
// verified if any authority verifies it; a token no authority verifies is listed in `failures`
// and gives no time (sigstore-go counts verified timestamps against a threshold of 1 and does not
// fail on the others); two identical tokens are an error (Errc::signature_invalid), as in
// sigstore-go, so a repeated token never counts twice. No timestamps: both lists empty.
struct BundleTimestamps {
    std::vector<VerifiedTimestamp> verified;
    std::vector<std::string> failures;  // "rfc3161Timestamps[i]: <why>"
};
Expected<BundleTimestamps> verify_bundle_timestamps(const SigstoreBundle& bundle,
                                                    const std::vector<CertificateAuthority>& authorities,
                                                    std::string_view where);

}  // namespace edgeverify
