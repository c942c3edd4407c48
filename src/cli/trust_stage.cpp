// Reference per image (--reference, else the source's own full name), signatures found in the
// source for the manifest and its index plus the detached ones, then the policy decision.
#include "trust_stage.hpp"

#include "edgeverify/limits.hpp"
#include "edgeverify/sigstore_bundle.hpp"
#include "edgeverify/vuln_attestation.hpp"

namespace edgeverify::cli {
namespace {

// --reference, else the source's own name when it is a full reference (DESIGN.md).
Expected<ImageReference> reference_for(const ImageResult& image,
                                       const std::optional<std::string>& override_text) {
    if (override_text) return parse_image_reference(*override_text);
    if (auto reference = reference_from_source_name(image.name)) return std::move(*reference);
    return make_error(Errc::usage,
                      "the trust policy needs an image reference to match, and the source names " +
                          (image.name.empty() ? std::string("none")
                                              : "only '" + image.name + "', which is not a full reference") +
                          ": give --reference registry.example.com/repo:tag");
}

// Signatures for one image: those stored in the source for its manifest digest and for the
// index it came from (cosign .sig images, then bundle referrers), then the detached files of the
// command line, then a dir: copy's signature-N files (which sign its one image).
Expected<std::vector<SignatureCandidate>> signatures_for(const IntegrityPass& pass, const ImageResult& image,
                                                         const TrustStageInputs& inputs) {
    std::vector<SignatureCandidate> candidates;
    const auto append = [&](std::vector<SignatureCandidate>&& found) {
        for (auto& candidate : found) candidates.push_back(std::move(candidate));
    };
    const SourceKind kind = pass.report.kind;
    const bool has_index = kind == SourceKind::oci_layout || kind == SourceKind::oci_archive;
    if (pass.source && has_index) {
        std::vector<Digest> digests{image.manifest_digest};
        if (image.index_digest) digests.push_back(*image.index_digest);
        for (const Digest& digest : digests) {
            auto found = find_cosign_signatures(*pass.source, digest);
            if (!found) return found.take_error();
            append(std::move(*found));
        }
        for (const Digest& digest : digests) {
            auto found = find_bundle_referrers(*pass.source, digest);
            if (!found) return found.take_error();
            append(std::move(*found));
        }
    }
    for (const SignatureCandidate& candidate : inputs.detached) candidates.push_back(candidate);
    if (kind == SourceKind::containers_dir) {
        auto found = find_dir_signature_files(inputs.source_path);
        if (!found) return found.take_error();
        append(std::move(*found));
    }
    return candidates;
}

// Whether the decision's scope has a vulnerabilityAttestation rule (only then are attestations
// read: a broken .att of an image whose scope does not ask for one refuses nothing).
bool wants_attestations(const TrustStore& store, const TrustDecision& decision) {
    for (const Scope& scope : store.policy.scopes) {
        if (scope.name == decision.scope) return scope.rules.is_object() && scope.rules.contains("vulnerabilityAttestation");
    }
    return false;
}

// Vulnerability attestations of one image, for its manifest and its index: cosign .att layers,
// then the Sigstore bundle referrers whose DSSE statement claims the vuln predicate type (read
// unverified, only to pick them; the rule verifies them).
Expected<std::vector<AttestationCandidate>> attestations_for(const IntegrityPass& pass, const ImageResult& image,
                                                             const std::vector<SignatureCandidate>& signatures) {
    std::vector<AttestationCandidate> found;
    const SourceKind kind = pass.report.kind;
    if (!pass.source || (kind != SourceKind::oci_layout && kind != SourceKind::oci_archive)) return found;
    std::vector<Digest> digests{image.manifest_digest};
    if (image.index_digest) digests.push_back(*image.index_digest);
    for (const Digest& digest : digests) {
        auto att = find_cosign_attestations(*pass.source, digest);
        if (!att) return att.take_error();
        for (auto& candidate : *att) found.push_back(std::move(candidate));
    }
    for (const SignatureCandidate& candidate : signatures) {
        if (candidate.kind != CandidateKind::sigstore_bundle || !candidate.origin.starts_with("referrer ")) continue;
        auto bundle = parse_sigstore_bundle(candidate.payload, candidate.origin);
        if (!bundle || !bundle->dsse) continue;
        if (intoto_predicate_type(bundle->dsse->payload) != attestation::kVulnPredicateType) continue;
        if (found.size() >= limits::kMaxAttestationsPerImage) {
            return make_error(Errc::limit_exceeded, "vulnerability attestations of " + image.manifest_digest.str() +
                                                        ": more than kMaxAttestationsPerImage (" +
                                                        std::to_string(limits::kMaxAttestationsPerImage) + ")");
        }
        found.push_back({AttestationCandidate::Form::sigstore_bundle, candidate.origin, candidate.payload,
                         candidate.annotations});
    }
    return found;
}

}  // namespace

Expected<std::vector<TrustDecision>> decide_images(const IntegrityPass& pass, const TrustStore& store,
                                                   const TrustStageInputs& inputs) {
    std::vector<TrustDecision> decisions;
    for (const ImageResult& image : pass.report.images) {
        auto reference = reference_for(image, inputs.reference_override);
        if (!reference) return reference.take_error();
        auto candidates = signatures_for(pass, image, inputs);
        if (!candidates) {
            // A signature artifact that is itself corrupt refuses the image, in any mode.
            TrustDecision refused;
            refused.reference = reference->str();
            refused.failure = candidates.take_error();
            decisions.push_back(std::move(refused));
            continue;
        }
        TrustDecision decision = decide_trust(store, *reference, image, pass.report.kind, *candidates);
        if (wants_attestations(store, decision)) {
            auto attestations = attestations_for(pass, image, *candidates);
            // A corrupt attestation artifact (or too many) is the decision's failure: the image is
            // refused in an enforce scope and admitted with the failure reported in an audit scope.
            if (!attestations) {
                decision.failure = attestations.take_error();
            } else {
                decision.attestations = std::move(*attestations);
            }
        }
        decisions.push_back(std::move(decision));
    }
    return decisions;
}

}  // namespace edgeverify::cli
