// Which index.json entries are artifacts (signatures, attestations, referrers) rather than images:
// first by the entry's tag and annotations, then by the referenced document itself.
#include "integrity/artifact_entries.hpp"

#include <regex>

#include "integrity/blob_checks.hpp"

namespace edgeverify::integrity {
namespace {

constexpr std::string_view kCosignKindAnnotation = "kind";

// Judged from the index.json entry alone.
bool entry_names_artifact(const Descriptor& d) {
    static const std::regex kCosignTag("^sha256-[0-9a-f]{64}(\\.(sig|att|sbom))?$");
    const auto ref = annotation_of(d, annotation::kRefName);
    if (!ref.empty() && std::regex_match(ref, kCosignTag)) return true;
    const auto kind = annotation_of(d, kCosignKindAnnotation);
    if (kind == "dev.cosignproject.cosign/sigs" || kind == "dev.cosignproject.cosign/atts") return true;
    return d.artifact_type.has_value();
}

// Judged from the document: an OCI 1.1 artifact or referrer. Unreadable -> not an artifact.
bool document_is_artifact(BlobSource& source, const Descriptor& d) {
    const DocumentKind kind = classify_media_type(d.media_type).kind;
    if (kind != DocumentKind::manifest && kind != DocumentKind::index) return false;
    auto record = check_blob(source, d, "index.json entry " + d.digest.str());
    if (!record) return false;
    auto text = document_text(**record, d.digest.str());
    if (!text) return false;
    if (kind == DocumentKind::index) {
        auto index = parse_image_index(*text, d.digest.str());
        return index && (index->subject || index->artifact_type);
    }
    auto manifest = parse_image_manifest(*text, d.digest.str());
    if (!manifest) return false;
    return manifest->subject || manifest->artifact_type ||
           manifest->config.media_type == media_type::kOciEmpty;
}

}  // namespace

bool is_artifact_entry(BlobSource& source, const Descriptor& entry) {
    return entry_names_artifact(entry) || document_is_artifact(source, entry);
}

}  // namespace edgeverify::integrity
