// Notary Project (Notation) signatures verified offline (FORMATS.md C): the JWS envelope, its
// payload and headers, and the verification steps (integrity, authenticity, authentic
// timestamp, expiry, revocation) with Notation's levels.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "edgeverify/crypto.hpp"
#include "edgeverify/digest.hpp"
#include "edgeverify/error.hpp"
#include "edgeverify/x509.hpp"

namespace edgeverify {

inline constexpr std::string_view kNotationSignatureArtifactType = "application/vnd.cncf.notary.signature";
inline constexpr std::string_view kNotationPayloadMediaType = "application/vnd.cncf.notary.payload.v1+json";
inline constexpr std::string_view kNotationJwsMediaType = "application/jose+json";
inline constexpr std::string_view kNotationCoseMediaType = "application/cose";

// The artifact a signature names (payload targetArtifact) or the one being verified.
struct NotationDescriptor {
    std::string media_type;
    Digest digest;
    std::uint64_t size = 0;
};

enum class NotationSigningScheme { x509, x509_signing_authority };

// A parsed envelope: every protected header checked, the certificate chain parsed; the
// signature not yet verified (verify_notation_signature does that).
struct NotationEnvelope {
    NotaryAlgorithm algorithm = NotaryAlgorithm::ps256;
    NotationSigningScheme scheme = NotationSigningScheme::x509;
    std::optional<std::int64_t> signing_time, authentic_signing_time, expiry;  // Unix seconds
    std::optional<std::string> verification_plugin;  // io.cncf.notary.verificationPlugin
    std::vector<Certificate> chain;                  // x5c, leaf first
    std::optional<std::string> timestamp_token;      // io.cncf.notary.timestampSignature (DER)
    std::string signed_bytes;  // JWS signing input (ASCII protected "." payload)
    std::string signature;
    NotationDescriptor target;
    // RSASSA-PSS salt accepted: any for JWS (notation-core-go verifies JWS through golang-jwt,
    // which auto-detects), the hash length for COSE (go-cose).
    PssSalt pss_salt = PssSalt::hash_length;
};

// JWS JSON flattened serialization (FORMATS.md C.3). Strict: `alg` one of PS256..ES512; `cty`
// the Notary payload type; `crit` present, naming signingScheme (and expiry /
// authenticSigningTime / plugin headers when present), every name in it present and known,
// duplicates refused; signingTime required for notary.x509, authenticSigningTime for
// signingAuthority; times in RFC 3339. Unknown unprotected members are ignored. Every failure is
// Errc::signature_invalid (or schema_violation for the payload) naming `where` and the field.
Expected<NotationEnvelope> parse_jws_envelope(std::string_view text, std::string_view where);

// COSE_Sign1_Tagged (CBOR tag 18, FORMATS.md C.4), the same rules in CBOR: alg -37/-38/-39/-7/
// -35/-36, crit (label 2) as for JWS, content type (label 3), times as tag 1 epoch seconds,
// x5chain (label 33, an array of bstr or one bstr, unprotected or protected), an attached
// payload; the signed bytes are the Sig_structure ["Signature1", protected, h'', payload].
// Failures are Errc::signature_invalid naming `where`.
Expected<NotationEnvelope> parse_cose_envelope(std::string_view bytes, std::string_view where);

// By envelope media type: application/jose+json or application/cose; another ->
// Errc::unsupported_media_type.
Expected<NotationEnvelope> parse_notation_envelope(std::string_view bytes, std::string_view media_type,
                                                   std::string_view where);

// RFC 3339 date-time ("2020-11-09T07:00:00Z", "2023-03-14T16:10:02+08:00", fractions
// allowed) to Unix seconds; nullopt when malformed.
std::optional<std::int64_t> parse_rfc3339(std::string_view text);

// x509.subject identities (FORMATS.md C.7): "x509.subject: C=US, ST=WA, O=Acme, CN=..." with
// `\,` `\;` `\\` and leading/trailing-space escaping. C, ST (or S) and O are required.
struct TrustedIdentity {
    std::vector<std::pair<std::string, std::string>> attributes;  // ST for S
};
Expected<TrustedIdentity> parse_trusted_identity(std::string_view text);
// Every attribute of `identity` present with the same value in `subject` (a subset match).
bool identity_matches(const TrustedIdentity& identity,
                      const std::vector<std::pair<std::string, std::string>>& subject);

// Notation's levels (FORMATS.md C.7 table): what each verification step does on failure.
enum class CheckAction { enforce, log, skip };
struct NotationLevel {
    CheckAction integrity = CheckAction::enforce, authenticity = CheckAction::enforce,
                authentic_timestamp = CheckAction::enforce, expiry = CheckAction::enforce,
                revocation = CheckAction::enforce;
};
// "strict", "permissive", "audit", "skip"; anything else -> Errc::config.
Expected<NotationLevel> notation_level(std::string_view name);

struct NotationVerification {
    NotationDescriptor artifact;                       // what is being verified
    std::vector<const X509Store*> ca_stores;           // for notary.x509
    std::vector<const X509Store*> signing_authority_stores;  // for notary.x509.signingAuthority
    const X509Store* tsa_store = nullptr;              // RFC 3161 countersignatures
    bool verify_timestamp_always = true;               // verifyTimestamp: always | afterCertExpiry
    bool any_identity = false;                         // trustedIdentities ["*"]
    std::vector<TrustedIdentity> identities;
    NotationLevel level;
    std::int64_t now = 0;                              // the device's trusted time
    const std::vector<RevocationList>* crls = nullptr; // trust/crl/; nullptr = none on the device
};

// One step's outcome: `failed` with its detail; a failed step whose action is `log` does not
// reject the signature.
struct NotationStep {
    std::string name;  // "integrity", "authenticity", "authenticTimestamp", "expiry", "revocation"
    CheckAction action = CheckAction::enforce;
    bool failed = false;
    std::string detail;
};
struct NotationResult {
    std::vector<NotationStep> steps;
    std::string signer_subject;  // leaf subject, for reports
};

// Runs the steps in the spec's order. Returns the steps when the signature is accepted (some may
// have failed with action `log`); an Error when it is rejected: Errc::signature_invalid
// (integrity), Errc::untrusted (an enforced step), or Errc::untrusted naming an unsupported
// feature (a verification plugin, an RFC 3161 countersignature that must be verified), which no
// level can downgrade.
Expected<NotationResult> verify_notation_signature(const NotationEnvelope& envelope, const NotationVerification& how);

}  // namespace edgeverify
