// Private to src/core/signatures: the pieces check_signature.cpp (simple signing) and
// check_bundle.cpp (Sigstore bundles) share: what a simple-signing payload binds, the scope's
// key signers in search order, and a Rekor SET checked and bound to one signature.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "edgeverify/rekor.hpp"
#include "edgeverify/trust_decision.hpp"

namespace edgeverify::signatures_detail {

// "errc_name: message", the form refusal reasons quote errors in.
std::string describe(const Error& error);


// Whether `payload` binds this image: its digest is the manifest's or the index's, and its
// docker-reference matches `reference` as the scope's referenceMatch says. Fills
// check.signed_digest / signed_reference; returns the refusal reason, or nullopt when bound.
std::optional<std::string> simple_signing_binding_refusal(const SimpleSigningPayload& payload,
                                                          const ImageResult& image,
                                                          const ImageReference& reference, const Scope& scope,
                                                          SignatureCheck& check);

// "manifest sha256:..., index sha256:...": the digests a signature may bind, for messages.
std::string image_digests_text(const ImageResult& image);

// One key signer of the scope with its loaded key.
struct KeyCandidate {
    const SignerSpec* signer = nullptr;
    const TrustedKey* key = nullptr;
};
// The scope's key signers whose key the store holds, in policy order, except that those whose
// key matches `hint` (cosign's base64 sha256(SPKI), or its hex as sigstore-js writes it) come
// first. The hint only orders the search: it is never trusted by itself.
std::vector<KeyCandidate> key_candidates(const Scope& scope, const TrustStore& store,
                                         std::string_view hint = {});
// Whether `hint` names `key` (either spelling above).
bool hint_names(std::string_view hint, const PublicKey& key);

// The refusal when no key verified: "no key signer of scope X verifies the signature", or that
// the scope has no key signer at all.
std::string no_key_reason(const Scope& scope);

// Checks one Rekor entry: its SET with the store's Rekor key for its log, then that the logged
// body names `binding`. On success fills the transparency-log fields of `check` (first verified
// entry wins) and returns nullopt; otherwise the refusal reason, prefixed with `what`.
std::optional<std::string> check_rekor_entry(const RekorSignedEntry& entry, const RekorBinding& binding,
                                             const TrustStore& store, const std::string& what,
                                             const std::string& where, SignatureCheck& check);
// Whether the store holds a Rekor key for this raw log id.
bool knows_log(const TrustStore& store, std::string_view log_id);

// Applies requireTransparencyLog to an accepted check: without a verified SET it is refused,
// `unverified_note` saying why there is none (may be empty).
void apply_transparency_requirement(const Scope& scope, const std::string& unverified_note,
                                    SignatureCheck& check);

// Keyless bundles (check_keyless.cpp). The refusal when the bundle's extra certificates include
// a root (they are otherwise ignored: only the trust store's chains are trusted).
std::optional<std::string> keyless_chain_refusal(const std::vector<std::string>& bundle_certificates,
                                                 const std::string& where);
// The refusal of a Fulcio leaf at verified time `time`: no trusted CA (validFor and
// verify_path_at, at `time`) chains it, no codeSigning EKU, or its identity matches none of the
// scope's sigstore signers. On success sets check.signer and check.reason.
std::optional<std::string> keyless_leaf_refusal(const Certificate& leaf, std::int64_t time, const Scope& scope,
                                                const TrustStore& store, SignatureCheck& check);

// A Sigstore bundle candidate (check_bundle.cpp).
SignatureCheck check_bundle(const SignatureCandidate& candidate, const ImageResult& image,
                            const ImageReference& reference, const Scope& scope, const TrustStore& store);

}  // namespace edgeverify::signatures_detail
