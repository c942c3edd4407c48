// Rekor transparency-log evidence verified offline: the signed entry timestamp (SET) of a Rekor v1
// entry, from cosign's `dev.sigstore.cosign/bundle` annotation or a Sigstore bundle's
// `inclusionPromise`, and the binding of the logged entry body to the signature it vouches for
// (FORMATS.md A.7, B.4 step 2).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "edgeverify/crypto.hpp"
#include "edgeverify/digest.hpp"
#include "edgeverify/error.hpp"

namespace edgeverify {

// A transparency-log key the device trusts: `rekor/<name>.pub` in the trust store, or a `tlogs`
// entry of `sigstore/trusted_root.json`.
struct RekorKey {
    std::string origin;   // "rekor/public.pub", "sigstore/trusted_root.json tlogs[0]"
    PublicKey key;
    std::string log_id;   // raw sha256 of the key's SPKI DER (32 bytes)
    std::optional<std::int64_t> valid_from;   // unix seconds, inclusive (trusted_root validFor)
    std::optional<std::int64_t> valid_until;  // unix seconds, inclusive
    std::string log_host;  // host of the trusted_root baseUrl (a Rekor v2 checkpoint's origin); "" for rekor/*.pub
};

// The `tlogs` of a trusted_root.json (FORMATS.md B.3) as Rekor keys, origin
// "<where> tlogs[i]". A tlog without validFor.start, with a key that does not parse, or a logId
// that is not sha256(SPKI) (for Ed25519 logs, the C2SP note key id sha256(host || "\n" || 0x01 ||
// key) is accepted too, as Rekor v2 roots write it) is an error naming `where` and the JSON path
// (a trust root is configuration: never skipped). validFor.end is optional (null = absent).
// Media types: ...trustedroot+json;version=0.1 and ...trustedroot.v0.2+json. Other members
// (certificateAuthorities, ctlogs, timestampAuthorities) are accepted and ignored here; members
// the proto does not have are refused. Errors: json_*, Errc::config.
Expected<std::vector<RekorKey>> parse_trusted_root_tlogs(std::string_view json, std::string_view where);

// One Rekor v1 entry as a SET covers it.
struct RekorSignedEntry {
    std::string body;                    // the canonicalized entry body (decoded JSON bytes)
    std::int64_t integrated_time = 0;    // unix seconds
    std::int64_t log_index = 0;
    std::string log_id;                  // raw bytes (32)
    std::string signed_entry_timestamp;  // raw DER ECDSA signature; empty when the entry has none
};

// cosign's `dev.sigstore.cosign/bundle` annotation value (FORMATS.md A.7):
// {"SignedEntryTimestamp": b64, "Payload": {"body": b64, "integratedTime": N, "logIndex": N,
// "logID": "<hex>"}}. Strict: missing or mistyped members, bad base64 or hex -> schema_violation
// naming `where` and the member. Size bounded by limits::kMaxJsonDocumentBytes.
Expected<RekorSignedEntry> parse_cosign_rekor_bundle(std::string_view annotation, std::string_view where);

// The exact bytes a SET signs: RFC 8785 canonical JSON of
// {"body":"<b64 body>","integratedTime":N,"logID":"<hex log id>","logIndex":N}.
std::string rekor_set_message(const RekorSignedEntry& entry);

// Verifies the entry's SET with the trusted key whose log_id matches, and that integrated_time
// lies within that key's validity. Returns the key used.
// Errors: Errc::untrusted when no trusted key has that log id (message names the hex id) or the
// time is outside the key's validity; Errc::signature_invalid when the SET is absent or does
// not verify.
Expected<const RekorKey*> verify_rekor_set(const RekorSignedEntry& entry, const std::vector<RekorKey>& keys);

// What the logged body must agree with (FORMATS.md A.7 step 3, B.4 "Body <-> bundle consistency").
struct RekorBinding {
    std::string signature;        // raw signature bytes the entry must log
    std::string public_key_der;   // SPKI DER of the verifying key (or DER of the signing certificate)
    std::optional<Digest> signed_bytes_digest;     // hashedrekord/rekord: sha256 of the signed bytes
    std::optional<Digest> envelope_payload_digest; // dsse/intoto: sha256 of the DSSE payload
    std::optional<Digest> signed_message_digest;   // Rekor v2 hashedrekord 0.0.2: sha256 of exactly
                                                   // what was signed (the artifact, or the DSSE PAE)
};

// Checks a canonicalized body: kinds hashedrekord 0.0.1, rekord 0.0.1, dsse 0.0.1 (payloadHash,
// the one signature and its verifier; envelopeHash is not compared), intoto 0.0.1 (payloadHash,
// publicKey) and 0.0.2 (payloadHash, the one signature, double base64, and its publicKey). Keys
// and certificates in the body are base64 PEM, compared as DER with public_key_der.
// Rekor v2 hashedrekord 0.0.2 (spec.hashedRekordV002: data {algorithm SHA2_256, digest =
// signed_message_digest}, signature {content, verifier {publicKey | x509Certificate {rawBytes DER},
// keyDetails naming the key's algorithm}}), exactly these members (rekor_v2_body.cpp).
// Unknown kinds or versions -> Errc::schema_violation "entry kind <kind> <version> is not
// supported"; a missing or mistyped field -> schema_violation naming its path; json_* for a body
// that is not JSON; any disagreement (also a digest the binding lacks, i.e. the wrong kind for
// the signature) -> Errc::signature_invalid naming the field.
Status check_rekor_body(std::string_view body, const RekorBinding& binding, std::string_view where);

}  // namespace edgeverify
