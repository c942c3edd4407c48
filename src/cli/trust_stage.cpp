// Reference per image (--reference, else the source's own full name), signatures found in the
// source for the manifest and its index plus the detached ones, then the policy decision.
#include "trust_stage.hpp"

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
        decisions.push_back(decide_trust(store, *reference, image, pass.report.kind, *candidates));
    }
    return decisions;
}

}  // namespace edgeverify::cli
