// The stages after integrity for `verify` without --integrity-only: find each image's
// signatures (in the source, beside it, and on the command line) and let the trust policy decide.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "edgeverify/trust_decision.hpp"

namespace edgeverify::cli {

struct TrustStageInputs {
    std::optional<std::string> reference_override;  // --reference
    std::string source_path;                        // the SOURCE path (a dir: copy's signature-N files)
    std::vector<SignatureCandidate> detached;       // --signature / --bundle, for every image
};

// One decision per image of the pass, in the same order. Candidates per image, in the order of
// issue 3: cosign `.sig` signatures, Sigstore bundle referrers, the detached files, then a
// `dir:` copy's signature-N files. A usage error when an image has no full reference to match
// the policy against.
Expected<std::vector<TrustDecision>> decide_images(const IntegrityPass& pass, const TrustStore& store,
                                                   const TrustStageInputs& inputs);

}  // namespace edgeverify::cli
