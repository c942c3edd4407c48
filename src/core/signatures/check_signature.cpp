// One signature against one image and the scope's key signers. Simple signing here: what the
// payload signs, for which reference, whether a trusted key verifies it over the exact payload
// bytes, then the Rekor SET cosign attaches; Sigstore bundles go to check_bundle.cpp, Notation
// envelopes to notation_check.cpp.
#include <ctime>

#include "edgeverify/crypto.hpp"
#include "edgeverify/hex.hpp"
#include "edgeverify/trust_decision.hpp"
#include "signatures/check_common.hpp"
#include "signatures/notation_check.hpp"

namespace edgeverify {
namespace {

using namespace signatures_detail;

// The dev.sigstore.cosign/bundle annotation of an accepted signature verified with `key`.
// Checked only when the store holds Rekor keys ("where the trust store holds a Rekor public
// key", issue 3); then an unknown log, a bad SET or a body naming another signature refuses.
// Returns the refusal reason, or nullopt; `note` says why no SET was verified.
std::optional<std::string> check_cosign_set(const SignatureCandidate& candidate, const TrustedKey& key,
                                            const TrustStore& store, SignatureCheck& check,
                                            std::string& note) {
    const auto annotation = candidate.annotations.find(std::string(cosign::kBundleAnnotation));
    if (annotation == candidate.annotations.end()) {
        note = "no " + std::string(cosign::kBundleAnnotation) + " annotation";
        return std::nullopt;
    }
    if (store.rekor_keys.empty()) {
        note = "a Rekor SET is attached, and the trust store holds no Rekor key to check it with";
        return std::nullopt;
    }
    const std::string where = std::string(cosign::kBundleAnnotation) + " of " + candidate.origin;
    auto entry = parse_cosign_rekor_bundle(annotation->second, where);
    if (!entry) return "Rekor SET: " + describe(entry.error());
    if (!knows_log(store, entry->log_id)) {
        return "Rekor SET is from log " + hex_encode(entry->log_id) + ", which the trust store does not know";
    }
    RekorBinding binding;
    binding.signature = candidate.signature;
    binding.public_key_der = key.key.spki_der();
    binding.signed_bytes_digest = digest_of(DigestAlgorithm::sha256, candidate.payload);
    return check_rekor_entry(*entry, binding, store, "Rekor SET", where, check);
}

SignatureCheck check_simple_signing(const SignatureCandidate& candidate, const ImageResult& image,
                                    const ImageReference& reference, const Scope& scope,
                                    const TrustStore& store) {
    SignatureCheck check;
    check.origin = candidate.origin;
    check.kind = "cosign";
    const auto refuse = [&](std::string reason) {
        check.reason = std::move(reason);
        return check;
    };
    if (candidate.media_type != cosign::kSimpleSigningMediaType) {
        return refuse("media type " + candidate.media_type + " is not a simple-signing signature");
    }
    if (candidate.signature.empty()) return refuse("no signature annotation on the layer");
    auto payload = parse_simple_signing_payload(candidate.payload, "payload of " + candidate.origin);
    if (!payload) return refuse(describe(payload.error()));
    if (auto refusal = simple_signing_binding_refusal(*payload, image, reference, scope, check)) {
        return refuse(std::move(*refusal));
    }

    for (const KeyCandidate& key : key_candidates(scope, store)) {
        if (!verify_signature(key.key->key, candidate.payload, candidate.signature)) continue;
        // The key verified; a Rekor SET, when checked, must name this key and this signature.
        std::string note;
        if (auto refusal = check_cosign_set(candidate, *key.key, store, check, note)) {
            return refuse("verified with " + key.signer->key->path + ", but " + *refusal);
        }
        check.accepted = true;
        check.signer = key.signer->name;
        check.reason = "verified with " + key.signer->key->path + " (" +
                       std::string(key_type_name(key.key->key.type())) + ")";
        if (check.transparency_log_verified) {
            check.reason += "; Rekor SET verified with " + check.transparency_log + ", integrated time " +
                            std::to_string(*check.integrated_time);
        }
        apply_transparency_requirement(scope, note, check);
        return check;
    }
    return refuse(no_key_reason(scope));
}

}  // namespace

SignatureCheck check_signature(const SignatureCandidate& candidate, const ImageResult& image,
                               const ImageReference& reference, const Scope& scope, const TrustStore& store) {
    if (!candidate.unreadable.empty()) {
        SignatureCheck check;
        check.origin = candidate.origin;
        check.kind = "unreadable";
        check.reason = candidate.unreadable;
        return check;
    }
    if (candidate.kind == CandidateKind::sigstore_bundle) {
        return signatures_detail::check_bundle(candidate, image, reference, scope, store);
    }
    if (candidate.kind == CandidateKind::notation) {
        // The device's clock is the trusted time for certificate validity and expiry.
        return signatures_detail::check_notation(candidate, scope, store,
                                                 static_cast<std::int64_t>(std::time(nullptr)));
    }
    return check_simple_signing(candidate, image, reference, scope, store);
}

}  // namespace edgeverify
