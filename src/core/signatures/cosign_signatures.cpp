// cosign's legacy signatures stored beside the image in an OCI layout or oci-archive: image
// manifests tagged sha256-<hex>.sig (or marked by cosign save), one signature per layer.
#include <string>

#include "edgeverify/crypto.hpp"
#include "edgeverify/limits.hpp"
#include "edgeverify/oci.hpp"
#include "edgeverify/signatures.hpp"
#include "integrity/blob_checks.hpp"
#include "signatures/signature_support.hpp"

namespace edgeverify {
namespace {

bool is_signature_manifest_for(const Descriptor& d, const std::string& tag) {
    if (annotation_of(d, cosign::kSaveKindAnnotation) == cosign::kSaveKindSignatures) return true;
    return signatures::entry_has_tag(d, tag);
}

Status collect_layers(BlobSource& source, const Descriptor& manifest_descriptor, const std::string& tag,
                      std::vector<SignatureCandidate>& out) {
    const std::string what = "signature manifest " + manifest_descriptor.digest.str() + " (" + tag + ")";
    auto record = integrity::check_blob(source, manifest_descriptor, what);
    if (!record) return record.take_error();
    auto text = integrity::document_text(**record, what);
    if (!text) return text.take_error();
    auto manifest = parse_image_manifest(*text, what);
    if (!manifest) return manifest.take_error();
    for (std::size_t i = 0; i < manifest->layers.size(); ++i) {
        const Descriptor& layer = manifest->layers[i];
        if (layer.media_type != cosign::kSimpleSigningMediaType) continue;
        if (out.size() >= limits::kMaxSignaturesPerImage) {
            return make_error(Errc::limit_exceeded, what + ": more than kMaxSignaturesPerImage (" +
                                                        std::to_string(limits::kMaxSignaturesPerImage) +
                                                        ") signatures");
        }
        SignatureCandidate candidate;
        candidate.origin =
            tag + " layer " + std::to_string(i + 1) + "/" + std::to_string(manifest->layers.size());
        candidate.media_type = layer.media_type;
        candidate.annotations = layer.annotations;
        auto payload_record = integrity::check_blob(source, layer, "payload of " + candidate.origin);
        if (!payload_record) return payload_record.take_error();
        auto payload = integrity::document_text(**payload_record, "payload of " + candidate.origin);
        if (!payload) return payload.take_error();
        candidate.payload = std::string(*payload);
        if (auto it = layer.annotations.find(std::string(cosign::kSignatureAnnotation));
            it != layer.annotations.end() && !it->second.empty()) {
            auto signature = base64_decode(it->second, candidate.origin + ": " + it->first);
            if (!signature) return signature.take_error();
            candidate.signature = std::move(*signature);
        }
        out.push_back(std::move(candidate));
    }
    return {};
}

}  // namespace

Expected<std::vector<SignatureCandidate>> find_cosign_signatures(BlobSource& source,
                                                                 const Digest& signed_digest) {
    auto index = signatures::read_index_json(source);
    if (!index) return index.take_error();
    const std::string tag = signatures::digest_tag(signed_digest) + ".sig";
    std::vector<SignatureCandidate> candidates;
    for (const Descriptor& d : index->manifests) {
        if (classify_media_type(d.media_type).kind != DocumentKind::manifest) continue;
        if (!is_signature_manifest_for(d, tag)) continue;
        if (auto status = collect_layers(source, d, tag, candidates); !status) return status.take_error();
    }
    return candidates;
}

}  // namespace edgeverify
