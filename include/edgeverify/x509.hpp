// X.509 certificates, one module for both certificate-based signature kinds: parsing (mbedTLS
// x509_crt behind src/core/crypto, plus a DER walk for the extensions mbedTLS does not expose).
// Notary Project (FORMATS.md C.5): named trust stores of roots, chain validation at a given time,
// revocation from local CRL files (no network). Sigstore keyless (FORMATS.md B.4 steps 4, 5, 8):
// path validation to a trusted_root chain at a verified time and the Fulcio identity.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "edgeverify/crypto.hpp"
#include "edgeverify/error.hpp"

namespace edgeverify {

// One extension as the certificate encodes it (RFC 5280 Extension).
struct CertificateExtension {
    std::string oid;  // dotted
    bool critical = false;
    std::string value;  // the extnValue OCTET STRING contents (the DER of the extension's value)
};

// One parsed certificate. Everything the checks need is copied out of mbedTLS at parse time.
struct Certificate {
    std::string der;
    std::string tbs_der;   // the whole TBSCertificate element, tag and length included (what is signed)
    std::string spki_der;  // the whole SubjectPublicKeyInfo element
    std::string subject_der, issuer_der;  // raw Name, compared byte for byte
    // Subject attributes in order, short names as RFC 4514 writes them ("C", "ST", "L", "O",
    // "OU", "CN"); an attribute without a short name is written as its dotted OID.
    std::vector<std::pair<std::string, std::string>> subject;
    std::string subject_text;            // "C=US, ST=WA, O=Notary, CN=..." for messages
    std::int64_t not_before = 0, not_after = 0;  // Unix seconds, inclusive
    std::string serial_hex;
    int version = 0;
    // Extensions: present / critical / value.
    bool has_basic_constraints = false, basic_constraints_critical = false, is_ca = false;
    int max_path_length = -1;  // -1: unlimited or absent
    bool has_key_usage = false, key_usage_critical = false;
    unsigned key_usage = 0;    // KeyUsage bits below
    bool has_extended_key_usage = false;
    bool extended_key_usage_critical = false;
    std::vector<std::string> extended_key_usage;  // dotted OIDs
    bool has_revocation_pointers = false;  // CRL distribution points or an OCSP access method
    std::string signature_hash;            // "sha256", "sha1", ... of the certificate's own signature
    // Every extension in certificate order (at most one per OID: a repeated OID is malformed).
    std::vector<CertificateExtension> extensions;

    bool self_issued() const { return subject_der == issuer_der; }
    // The extension with dotted OID `oid`, or nullptr.
    const CertificateExtension* extension(std::string_view oid) const;
};

namespace key_usage {
inline constexpr unsigned digital_signature = 0x80, non_repudiation = 0x40, key_encipherment = 0x20,
                          data_encipherment = 0x10, key_agreement = 0x08, key_cert_sign = 0x04,
                          crl_sign = 0x02, encipher_only = 0x01, decipher_only = 0x8000;
}

// A DER certificate; errors are Errc::key_malformed naming `where` (mbedTLS's refusal, bytes
// after the certificate, extensions that are not DER or repeat an OID). mbedTLS refuses unknown
// critical extensions here; Fulcio's own extensions are non-critical.
Expected<Certificate> parse_certificate_der(std::string_view der, std::string_view where);
// Every certificate of a file: one or more PEM "CERTIFICATE" blocks, or one DER certificate.
Expected<std::vector<Certificate>> parse_certificates_file(std::string_view content, std::string_view where);

// The subject public key of a certificate (ECDSA P-256/384/521, RSA >= 2048).
Expected<PublicKey> certificate_public_key(const Certificate& cert, std::string_view where);

// Whether `issuer`'s key verified `subject`'s signature (SHA-1 and MD5 signatures are refused).
Status verify_certificate_signature(const Certificate& subject, const Certificate& issuer);

// A named store: trust/ca/<name>/ (or a Notation truststore/x509/<type>/<name>/). Files ending
// .pem .crt .cer .der hold one or more certificates; any other entry, a sub-directory or a
// symlink is an error (as notation-go). `kind` chooses the admission rule for each certificate:
// ca / signingAuthority: a CA certificate or a self-signed certificate; tsa: a self-signed root
// CA. Errors are Errc::config naming the file.
enum class X509StoreKind { ca, signing_authority, tsa };
struct X509Store {
    std::string name;
    X509StoreKind kind = X509StoreKind::ca;
    std::vector<Certificate> certificates;
};
Expected<X509Store> load_x509_store(const std::string& directory, X509StoreKind kind);

// CRLs read from trust/crl/ (PEM "X509 CRL" or DER), parsed once.
struct RevocationList {
    std::string issuer_der;
    std::int64_t this_update = 0, next_update = 0;  // next_update 0 when absent
    std::vector<std::string> revoked_serials_hex;
    std::string der;
    std::string where;
};
Expected<std::vector<RevocationList>> load_revocation_lists(const std::string& directory);

// Which certificate rules the leaf must meet (FORMATS.md C.5).
enum class LeafPurpose { code_signing, timestamping };

struct ChainCheck {
    // The time every certificate must be valid at (Unix seconds); nullopt: validity not checked
    // here (Notation checks it in its authentic-timestamp step).
    std::optional<std::int64_t> at;
    LeafPurpose purpose = LeafPurpose::code_signing;
    const std::vector<RevocationList>* crls = nullptr;  // nullptr: revocation not checked
};

enum class RevocationStatus { not_checked, good, revoked, unknown };
struct ChainResult {
    RevocationStatus revocation = RevocationStatus::not_checked;
    std::string revocation_detail;  // which certificate, which CRL
};

// Validates `chain` (leaf first, complete up to a self-signed root, as x5c carries it):
// each certificate signed by the next, the root self-signed, C.5 rules for the leaf and the CA
// certificates (path lengths included), every certificate valid at `check.at`, and at least one
// certificate of the chain equal to a certificate of `store`. Failures: Errc::untrusted (not
// anchored in the store, expired, not yet valid, a C.5 rule broken), Errc::signature_invalid (a
// link does not verify). Revocation (when `crls` and `at`)
// is reported in the result, never as an error: the caller decides by the policy's level.
Expected<ChainResult> validate_certificate_chain(const std::vector<Certificate>& chain, const X509Store& store,
                                                 const ChainCheck& check);

// Revocation of every non-root certificate of a validated chain from local CRLs at `at`
// (x509_crl.cpp states the offline rule).
ChainResult check_chain_revocation(const std::vector<Certificate>& chain, const std::vector<RevocationList>& crls,
                                   std::int64_t at);

// The C.5 leaf rules alone (also what a lone self-signed signing certificate must meet).
Status check_leaf_requirements(const Certificate& leaf, LeafPurpose purpose);

// --- Sigstore keyless (x509_path.cpp, x509_fulcio.cpp) ---

// Validates leaf -> chain[0] -> ... -> chain.back() (a trusted_root.json certChain: intermediates
// first, the trust anchor last, whose own signature is not checked) at `time`, never the wall
// clock: every validity window contains `time` (both ends inclusive), every issuer is a CA
// (basicConstraints cA=true; keyCertSign when it has keyUsage; its pathLenConstraint not
// exceeded), each certificate's issuer name is the next one's subject and its
// signature verifies with the next one's key (verify_certificate_signature). Errors:
// Errc::untrusted naming the certificate outside its window or not a CA; Errc::signature_invalid
// for a link whose name or signature does not match.
Status verify_path_at(const Certificate& leaf, const std::vector<Certificate>& chain, std::int64_t time);

// Whether extendedKeyUsage lists id-kp-codeSigning (1.3.6.1.5.5.7.3.3).
bool has_code_signing_eku(const Certificate& cert);

// Fulcio identity: the first URI SAN, else the first email SAN, else the OtherName SAN
// 1.3.6.1.4.1.57264.1.7 (UTF8String); empty when there is none.
std::string certificate_san(const Certificate& cert);
// The OIDC issuer: extension 1.3.6.1.4.1.57264.1.8 (DER UTF8String) or legacy .1.1 (raw bytes);
// empty when there is none.
std::string certificate_oidc_issuer(const Certificate& cert);

}  // namespace edgeverify
