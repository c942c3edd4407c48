// Private to src/core/rules: one vulnerability attestation verified against the image and the
// rule's keys (vuln_attestation_verify.cpp), for the vulnerabilityAttestation rule.
#pragma once

#include <string>

#include "edgeverify/rules.hpp"

namespace edgeverify::rules_detail {

struct VerifiedVulnerabilityScan {
    VulnerabilityScan scan;
    std::string origin;    // where the attestation was found
    std::string key_path;  // the rule key that verified it
};

// The DSSE signature with each of the rule's keys (a cosign .att envelope: verify_dsse_envelope,
// strict, payload type application/vnd.in-toto+json; a bundle: its dsseEnvelope over the PAE,
// publicKey bundles only), then the statement: a vuln/v1 scan (parse_vulnerability_statement)
// with a subject equal to the image's manifest digest or the index it was selected from. Keyless
// (a certificate in the layer annotations or the bundle) is refused. Errors (Errc::untrusted)
// carry the refusal reason, prefixed with the candidate's origin.
Expected<VerifiedVulnerabilityScan> verify_vulnerability_attestation(const AttestationCandidate& candidate,
                                                                     const VulnerabilityAttestationRule& rule,
                                                                     const RuleContext& context);

}  // namespace edgeverify::rules_detail
