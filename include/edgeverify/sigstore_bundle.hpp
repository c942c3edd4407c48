// Sigstore bundles v0.1-v0.3 (FORMATS.md B.1-B.2): parsed strictly, with the DSSE
// pre-authentication encoding, in-toto statement subjects, and a key-based bundle writer.
// Verification against the trust policy lives in the trust stage (trust_decision.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "edgeverify/crypto.hpp"
#include "edgeverify/digest.hpp"
#include "edgeverify/error.hpp"
#include "edgeverify/rekor.hpp"
#include "edgeverify/tlog_proof.hpp"

namespace edgeverify {

namespace sigstore {
inline constexpr std::string_view kBundleMediaTypePrefix = "application/vnd.dev.sigstore.bundle";
inline constexpr std::string_view kBundleMediaTypeV03 = "application/vnd.dev.sigstore.bundle.v0.3+json";
inline constexpr std::string_view kInTotoPayloadType = "application/vnd.in-toto+json";
inline constexpr std::string_view kInTotoStatementV1 = "https://in-toto.io/Statement/v1";
inline constexpr std::string_view kCosignSignPredicate = "https://sigstore.dev/cosign/sign/v1";
inline constexpr std::string_view kEmptyMediaType = "application/vnd.oci.empty.v1+json";
inline constexpr std::string_view kBundleContentAnnotation = "dev.sigstore.bundle.content";
inline constexpr std::string_view kBundlePredicateTypeAnnotation = "dev.sigstore.bundle.predicateType";
}  // namespace sigstore

// One transparency-log entry of a bundle.
struct BundleTlogEntry {
    std::string kind;     // "hashedrekord", "dsse", "intoto", ...
    std::string version;  // "0.0.1", ...
    RekorSignedEntry entry;          // body, times, log id; signed_entry_timestamp empty without a promise
    bool has_inclusion_promise = false;
    bool has_inclusion_proof = false;  // present: inclusion_proof holds it
    std::optional<InclusionProof> inclusion_proof;  // verified by verify_inclusion (tlog_proof.hpp)
};

enum class BundleMaterial { public_key, certificate_chain, certificate };

struct SigstoreBundle {
    std::string media_type;
    int minor_version = 0;  // 1, 2 or 3 (bundle v0.1-v0.3)
    BundleMaterial material = BundleMaterial::public_key;
    std::string public_key_hint;            // may be empty
    std::vector<std::string> certificates;  // DER, leaf first (chain or single certificate)
    std::vector<BundleTlogEntry> tlog_entries;
    std::size_t rfc3161_timestamps = 0;     // how many rfc3161Timestamps the bundle carries
    // Their signedTimestamp bytes (DER), verified by verify_bundle_timestamps (timestamp.hpp).
    std::vector<std::string> rfc3161_signed_timestamps;

    struct MessageSignature {
        std::string algorithm;  // "SHA2_256", ...
        std::string digest;     // raw bytes (an unauthenticated hint, FORMATS.md B.2)
        std::string signature;  // raw bytes
    };
    struct DsseEnvelope {
        std::string payload;       // decoded bytes
        std::string payload_type;
        std::string signature;     // raw bytes of the one signature
        std::string keyid;         // may be empty
    };
    std::optional<MessageSignature> message_signature;  // exactly one of these two is set
    std::optional<DsseEnvelope> dsse;
};

// Parses a bundle (proto3 JSON, FORMATS.md B.1/B.2), strictly: unknown media type or version
// >= 0.4, unknown members at any level, wrong types, bad base64 (strict: padded, standard
// alphabet), int64 fields that are neither decimal strings nor integral JSON numbers (protobuf's
// JSON parsers accept both) or that are negative, an empty certificate chain, a DSSE envelope with
// other than one signature, a publicKey hint that differs from the DSSE keyid, v0.1 entries
// without inclusionPromise, v0.2+ entries without inclusionProof, x509CertificateChain in v0.3,
// none or several of publicKey/x509CertificateChain/certificate, neither or both of
// messageSignature/dsseEnvelope -> Errc::schema_violation with `where` and the JSON path;
// json_* for malformed JSON. Size and depth bounded like every JSON document.
// proto3 defaults: an absent or null member is the field's default (so an omitted logIndex is 0,
// an omitted keyid ""); required here are mediaType, verificationMaterial, a tlog entry's logId,
// kindVersion and canonicalizedBody, a promise's signedEntryTimestamp, a proof's rootHash (and
// its checkpoint from v0.2 on), every certificate's rawBytes, a message signature, a DSSE payload, payloadType and sig.
Expected<SigstoreBundle> parse_sigstore_bundle(std::string_view json, std::string_view where);

// DSSE v1 pre-authentication encoding:
// "DSSEv1" SP LEN(type) SP type SP LEN(payload) SP payload (decimal lengths).
std::string dsse_pae(std::string_view payload_type, std::string_view payload);

// The sha256 digests among an in-toto statement's subjects (Statement v0.1 or v1), parsed
// strictly enough to be unambiguous: `_type`, `subject` (non-empty array of {name?, digest{alg:
// hex}}), `predicateType` must be present; duplicate keys refused.
Expected<std::vector<Digest>> intoto_subject_digests(std::string_view statement, std::string_view where);

// The in-toto Statement v1 cosign v3 signs for an image (FORMATS.md A.9):
// {"_type":"https://in-toto.io/Statement/v1","subject":[{"name":NAME,"digest":{"sha256":HEX}}],
//  "predicateType":"https://sigstore.dev/cosign/sign/v1","predicate":{}}
std::string make_cosign_sign_statement(std::string_view subject_name, const Digest& image_digest);

// A key-based bundle v0.3 (media type kBundleMediaTypeV03) holding a DSSE envelope over
// `payload` of `payload_type`, signed with `key` over the PAE, verificationMaterial
// {"publicKey":{"hint": key's hint}} and no tlog entries (offline signing). Errors from signing.
Expected<std::string> make_key_dsse_bundle(const PrivateKey& key, std::string_view payload_type,
                                           std::string_view payload);

}  // namespace edgeverify
