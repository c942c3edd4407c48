// The case kinds the conformance runner understands, one function per kind.
#pragma once

#include <filesystem>
#include <string>

#include "edgeverify/json.hpp"

namespace edgeverify::conformance {

struct CaseOutcome {
    bool passed = false;
    std::string reason;  // why it failed
};

// Runs one case object of a cases.json whose paths are relative to `base`.
CaseOutcome run_case(const Json& c, const std::filesystem::path& base);

// containers-image-cosign shape (no "kind"; "image", "signatures", "image_ref", "policy"): the
// containers-policy.json requirement is translated into an edgeverify trust store (cosign_cases.cpp).
CaseOutcome run_signed_image_case(const Json& c, const std::filesystem::path& base, bool expect_valid);

// cosign-v3-oci-bundle shape (no "kind"; "bundle", "artifact_digest", "identity", "trusted_root"):
// the bundle judged by check_signature() for an image with that digest (bundle_cases.cpp).
CaseOutcome run_bundle_case(const Json& c, const std::filesystem::path& base, bool expect_valid);

// sigstore-conformance shape (no "kind"; "bundle", "artifact", "trusted_root", and "identity" +
// "issuer" or "key"): the verify-bundle library entry (sigstore_conformance_cases.cpp).
CaseOutcome run_sigstore_conformance_case(const Json& c, const std::filesystem::path& base, bool expect_valid);

// notation-go shape (no "kind"; "envelope", "envelope_media_type", "trust_policy",
// "truststore_root", "target_descriptor"): a Notation envelope under a Notation trust policy
// (notation_cases.cpp); and "truststore-load": loading one named Notation trust store.
CaseOutcome run_notation_case(const Json& c, const std::filesystem::path& base, bool expect_valid);
CaseOutcome run_notation_store_case(const Json& c, const std::filesystem::path& base, bool expect_valid);

// "rekor-set": a Rekor SET and its entry body against a Rekor key (FORMATS.md A.7).
CaseOutcome run_rekor_set_case(const Json& c, const std::filesystem::path& base, bool expect_valid);
// "x509-at-time": a Fulcio leaf, its carried chain and the trusted roots validated at one time
// (x509_time_cases.cpp).
CaseOutcome run_x509_at_time_case(const Json& c, const std::filesystem::path& base, bool expect_valid);

}  // namespace edgeverify::conformance
