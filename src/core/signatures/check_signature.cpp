// One signature against one image and the scope's key signers: what it signs, for which
// repository, and whether a trusted key verifies it over the exact payload bytes.
#include "edgeverify/crypto.hpp"
#include "edgeverify/trust_decision.hpp"

namespace edgeverify {

SignatureCheck check_signature(const SignatureCandidate& candidate, const ImageResult& image,
                               const ImageReference& reference, const Scope& scope, const TrustStore& store) {
    SignatureCheck check;
    check.origin = candidate.origin;
    const auto refuse = [&](std::string reason) {
        check.reason = std::move(reason);
        return check;
    };
    if (candidate.media_type != cosign::kSimpleSigningMediaType) {
        return refuse("media type " + candidate.media_type + " is not a simple-signing signature");
    }
    if (candidate.signature.empty()) return refuse("no signature annotation on the layer");
    auto payload = parse_simple_signing_payload(candidate.payload, "payload of " + candidate.origin);
    if (!payload)
        return refuse(std::string(errc_name(payload.error().code)) + ": " + payload.error().message);
    check.signed_digest = payload->manifest_digest.str();
    check.signed_reference = payload->docker_reference;

    const bool signs_manifest = payload->manifest_digest == image.manifest_digest;
    const bool signs_index = image.index_digest && payload->manifest_digest == *image.index_digest;
    if (!signs_manifest && !signs_index) {
        std::string image_digests = "manifest " + image.manifest_digest.str();
        if (image.index_digest) image_digests += ", index " + image.index_digest->str();
        return refuse("signs " + check.signed_digest + ", not this image (" + image_digests + ")");
    }
    auto signed_reference = parse_image_reference(payload->docker_reference);
    if (!signed_reference) return refuse("docker-reference: " + signed_reference.error().message);
    if (signed_reference->name() != reference.name()) {
        return refuse("signed for repository " + signed_reference->name() + ", the image is " +
                      reference.name());
    }

    bool any_key_signer = false;
    for (const SignerSpec& signer : scope.signers) {
        if (!signer.key) continue;
        any_key_signer = true;
        const auto key = store.keys.find(signer.key->path);
        if (key == store.keys.end()) continue;  // the loader refuses such stores; never trust by accident
        if (verify_signature(key->second.key, candidate.payload, candidate.signature)) {
            check.accepted = true;
            check.signer = signer.name;
            check.reason = "verified with " + signer.key->path + " (" +
                           std::string(key_type_name(key->second.key.type())) + ")";
            return check;
        }
    }
    return refuse(any_key_signer ? "no key signer of scope " + scope.name + " verifies the signature"
                                 : "scope " + scope.name +
                                       " has no key signer (sigstore and x509 signers are not verified by "
                                       "this build)");
}

}  // namespace edgeverify
