// Reference per image (--reference, else the source's own full name), signatures found in the
// source for the manifest and its index, then the policy decision.
#include "trust_stage.hpp"

namespace edgeverify::cli {
namespace {

// DESIGN.md: the source's own name counts only when it is a full reference with a repository
// path ("registry.example.com/fleet/app:1.0"); a bare tag such as "1.0" is no reference.
Expected<ImageReference> reference_for(const ImageResult& image,
                                       const std::optional<std::string>& override_text) {
    if (override_text) return parse_image_reference(*override_text);
    if (image.name.find('/') != std::string::npos) {
        if (auto reference = parse_image_reference(image.name)) return reference;
    }
    return make_error(Errc::usage,
                      "the trust policy needs an image reference to match, and the source names " +
                          (image.name.empty() ? std::string("none")
                                              : "only '" + image.name + "', which is not a full reference") +
                          ": give --reference registry.example.com/repo:tag");
}

// Signatures stored beside the image for its manifest digest and for the index it came from.
Expected<std::vector<SignatureCandidate>> signatures_for(const IntegrityPass& pass,
                                                         const ImageResult& image) {
    std::vector<SignatureCandidate> candidates;
    if (!pass.source || pass.report.kind == SourceKind::docker_archive) return candidates;
    std::vector<Digest> digests{image.manifest_digest};
    if (image.index_digest) digests.push_back(*image.index_digest);
    for (const Digest& digest : digests) {
        auto found = find_cosign_signatures(*pass.source, digest);
        if (!found) return found.take_error();
        for (auto& candidate : *found) candidates.push_back(std::move(candidate));
    }
    return candidates;
}

}  // namespace

Expected<std::vector<TrustDecision>> decide_images(const IntegrityPass& pass, const TrustStore& store,
                                                   const std::optional<std::string>& reference_override) {
    std::vector<TrustDecision> decisions;
    for (const ImageResult& image : pass.report.images) {
        auto reference = reference_for(image, reference_override);
        if (!reference) return reference.take_error();
        auto candidates = signatures_for(pass, image);
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
