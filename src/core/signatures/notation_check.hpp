// Private to src/core/signatures: a Notation signature (FORMATS.md C) checked against the scope's
// x509 signers (notation_check.cpp).
#pragma once

#include <cstdint>

#include "edgeverify/trust_decision.hpp"

namespace edgeverify::signatures_detail {

// The envelope parsed strictly, then verified for each x509 signer of the scope in policy order
// (its store, its trusted identity, its level) at `now` (Unix seconds); the first signer that
// accepts it is satisfied. Refused: no x509 signer in the scope, an envelope that does not parse,
// or every signer's refusal (integrity, chain, identity, an enforced step), quoted.
SignatureCheck check_notation(const SignatureCandidate& candidate, const Scope& scope,
                              const TrustStore& store, std::int64_t now);

}  // namespace edgeverify::signatures_detail
