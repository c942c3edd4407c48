// Private helpers shared by the readers of signatures stored in an OCI layout or archive (cosign
// legacy .sig manifests, Sigstore bundle referrers).
#pragma once

#include <string>

#include "edgeverify/oci.hpp"
#include "edgeverify/source.hpp"
#include "integrity/blob_checks.hpp"

namespace edgeverify::signatures {

// index.json of the source, parsed strictly.
inline Expected<ImageIndex> read_index_json(BlobSource& source) {
    auto record = source.file("index.json");
    if (!record) return record.take_error();
    auto text = integrity::document_text(**record, "index.json");
    if (!text) return text.take_error();
    return parse_image_index(*text, "index.json");
}

// `name` is `tag` itself or the tag of a full name ("registry/app:<tag>").
inline bool names_tag(const std::string& name, const std::string& tag) {
    if (name == tag) return true;
    return name.size() > tag.size() && name.ends_with(tag) && name[name.size() - tag.size() - 1] == ':';
}

// The entry's ref name annotation or containerd image name carries `tag`.
inline bool entry_has_tag(const Descriptor& entry, const std::string& tag) {
    return names_tag(annotation_of(entry, annotation::kRefName), tag) ||
           names_tag(annotation_of(entry, annotation::kContainerdName), tag);
}

// "<alg>-<hex>": the referrers tag of `digest` (OCI distribution "Referrers Tag Schema"); cosign's
// legacy tags append ".sig", ".att", ".sbom".
inline std::string digest_tag(const Digest& digest) {
    return std::string(digest_algorithm_name(digest.algorithm())) + "-" + digest.hex();
}

}  // namespace edgeverify::signatures
