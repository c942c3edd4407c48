// The trust stage: which signatures of an image verify against the trust store, which signers
// they satisfy, and whether the scope's threshold and mode admit the image.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "edgeverify/integrity.hpp"
#include "edgeverify/signatures.hpp"
#include "edgeverify/trust_policy.hpp"

namespace edgeverify {

// One signature considered, accepted or refused, and why.
struct SignatureCheck {
    std::string origin;
    bool accepted = false;
    std::string signer;            // the signer it satisfied, when accepted
    std::string reason;            // why it was refused, or what was verified
    std::string signed_digest;     // from the payload, when the payload parsed
    std::string signed_reference;  // docker-reference from the payload
};

struct TrustDecision {
    std::string reference;  // the normalized reference the policy judged
    std::string scope;      // the scope's name, or "(default)" when none matched
    PolicyMode mode = PolicyMode::enforce;
    int threshold = 0;
    std::vector<std::string> satisfied_signers;
    std::vector<SignatureCheck> signatures;
    std::optional<Error> failure;  // why the policy is not satisfied (kept in audit mode too)

    bool admits() const { return !failure || mode == PolicyMode::audit; }
};

// Checks one candidate against the image and the scope's key signers: simple-signing payload,
// signed digest (the image's manifest or the index it was selected from), signed repository
// (must equal the reference's), then the signature against each key signer of the scope.
SignatureCheck check_signature(const SignatureCandidate& candidate, const ImageResult& image,
                               const ImageReference& reference, const Scope& scope, const TrustStore& store);

// Applies the policy to one integrity-verified image and the signatures found for it.
TrustDecision decide_trust(const TrustStore& store, const ImageReference& reference, const ImageResult& image,
                           SourceKind kind, const std::vector<SignatureCandidate>& candidates);

}  // namespace edgeverify
