// The trust stage: which signatures of an image verify against the trust store, which signers
// they satisfy, and whether the scope's threshold and mode admit the image.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "edgeverify/integrity.hpp"
#include "edgeverify/rules.hpp"
#include "edgeverify/signatures.hpp"
#include "edgeverify/trust_policy.hpp"

namespace edgeverify {

// One signature considered, accepted or refused, and why.
struct SignatureCheck {
    std::string origin;
    std::string kind;              // "cosign" (simple signing) or "sigstore-bundle"
    bool accepted = false;
    std::string signer;            // the signer it satisfied, when accepted
    std::string reason;            // why it was refused, or what was verified
    std::string signed_digest;     // from the payload, when the payload parsed
    std::string signed_reference;  // docker-reference from the payload
    // Rekor: a SET that verified with a trusted log key (its origin and integrated time).
    bool transparency_log_verified = false;
    std::string transparency_log;  // the trusted key's origin
    std::optional<std::int64_t> integrated_time;
};

struct TrustDecision {
    std::string reference;  // the normalized reference the policy judged
    std::string scope;      // the scope's name, or "(default)" when none matched
    PolicyMode mode = PolicyMode::enforce;
    int threshold = 0;
    std::vector<std::string> satisfied_signers;
    std::vector<SignatureCheck> signatures;
    std::optional<Error> failure;  // why the policy is not satisfied (kept in audit mode too)
    std::vector<RuleResult> rules;  // image rules of the scope (apply_image_rules), docs/rules.md
    // Vulnerability attestations found for the image, unverified; collected only when the scope
    // has a vulnerabilityAttestation rule, which verifies them (docs/rules.md).
    std::vector<AttestationCandidate> attestations;

    bool admits() const { return !failure || mode == PolicyMode::audit; }
};

// Checks one candidate against the image and the scope's key signers (docs/trust-policy.md
// "How signatures are verified"). What the signature binds is checked before the key material.
// Simple signing (kind "cosign"): payload parsed strictly, signed digest (the image's manifest or
// the index it was selected from), docker-reference (repository, or exact with referenceMatch
// "exact": same tag or digest; tag vs digest refused), the signature against each key signer over
// the exact payload bytes, then the Rekor SET of the dev.sigstore.cosign/bundle annotation when
// the store holds Rekor keys (an unknown log, a bad SET, a body naming another signature or key
// refuses the signature; with no Rekor key in the store the annotation is not checked).
// Sigstore bundle (kind "sigstore-bundle"): parsed strictly; messageSignature -> the artifact
// (candidate.artifact: messageDigest = sha256(artifact), and the artifact is a simple-signing
// payload bound like above; else the manifest itself: messageDigest = the image digest, signature
// checked over that digest); DSSE -> in-toto payload type, a subject equal to the image digest,
// signature over the PAE; publicKey bundles only (a certificate -> refused: keyless verification
// is issue 8); the hint only orders the key search. Tlog entries with a SET from a known log are
// verified and bound (failure refuses); entries from unknown logs are ignored and noted.
// With requireTransparencyLog, a signature without a verified SET is refused.
SignatureCheck check_signature(const SignatureCandidate& candidate, const ImageResult& image,
                               const ImageReference& reference, const Scope& scope, const TrustStore& store);

// Applies the policy to one integrity-verified image and the signatures found for it.
TrustDecision decide_trust(const TrustStore& store, const ImageReference& reference, const ImageResult& image,
                           SourceKind kind, const std::vector<SignatureCandidate>& candidates);

}  // namespace edgeverify
