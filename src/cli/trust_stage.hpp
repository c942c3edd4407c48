// The stages after integrity for `verify` without --integrity-only: find each image's
// signatures in the source and let the trust policy decide.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "edgeverify/trust_decision.hpp"

namespace edgeverify::cli {

// One decision per image of the pass, in the same order. `reference_override` is --reference.
// A usage error when an image has no full reference to match the policy against.
Expected<std::vector<TrustDecision>> decide_images(const IntegrityPass& pass, const TrustStore& store,
                                                   const std::optional<std::string>& reference_override);

}  // namespace edgeverify::cli
