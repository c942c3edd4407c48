// cosign's legacy attestations stored beside the image in an OCI layout or oci-archive: image
// manifests tagged sha256-<hex>.att (or marked by cosign save), one DSSE envelope per layer.
#include <string>

#include "edgeverify/limits.hpp"
#include "edgeverify/oci.hpp"
#include "edgeverify/vuln_attestation.hpp"
#include "integrity/blob_checks.hpp"
#include "signatures/signature_support.hpp"

namespace edgeverify {
namespace {

bool is_attestation_manifest_for(const Descriptor& d, const std::string& tag) {
    if (annotation_of(d, "kind") == attestation::kSaveKindAttestations) return true;
    return signatures::entry_has_tag(d, tag);
}

Status collect_envelopes(BlobSource& source, const Descriptor& manifest_descriptor, const std::string& tag,
                         std::vector<AttestationCandidate>& out) {
    const std::string what = "attestation manifest " + manifest_descriptor.digest.str() + " (" + tag + ")";
    auto record = integrity::check_blob(source, manifest_descriptor, what);
    if (!record) return record.take_error();
    auto text = integrity::document_text(**record, what);
    if (!text) return text.take_error();
    auto manifest = parse_image_manifest(*text, what);
    if (!manifest) return manifest.take_error();
    for (std::size_t i = 0; i < manifest->layers.size(); ++i) {
        const Descriptor& layer = manifest->layers[i];
        if (layer.media_type != attestation::kDsseEnvelopeMediaType) continue;
        if (out.size() >= limits::kMaxAttestationsPerImage) {
            return make_error(Errc::limit_exceeded, what + ": more than kMaxAttestationsPerImage (" +
                                                        std::to_string(limits::kMaxAttestationsPerImage) +
                                                        ") attestations");
        }
        AttestationCandidate candidate;
        candidate.origin =
            tag + " layer " + std::to_string(i + 1) + "/" + std::to_string(manifest->layers.size());
        candidate.annotations = layer.annotations;
        auto envelope_record = integrity::check_blob(source, layer, "envelope of " + candidate.origin);
        if (!envelope_record) return envelope_record.take_error();
        auto envelope = integrity::document_text(**envelope_record, "envelope of " + candidate.origin);
        if (!envelope) return envelope.take_error();
        candidate.document = std::string(*envelope);
        out.push_back(std::move(candidate));
    }
    return {};
}

}  // namespace

Expected<std::vector<AttestationCandidate>> find_cosign_attestations(BlobSource& source,
                                                                     const Digest& subject) {
    auto index = signatures::read_index_json(source);
    if (!index) return index.take_error();
    const std::string tag = signatures::digest_tag(subject) + ".att";
    std::vector<AttestationCandidate> candidates;
    for (const Descriptor& d : index->manifests) {
        if (classify_media_type(d.media_type).kind != DocumentKind::manifest) continue;
        if (!is_attestation_manifest_for(d, tag)) continue;
        if (auto status = collect_envelopes(source, d, tag, candidates); !status) return status.take_error();
    }
    return candidates;
}

}  // namespace edgeverify
