// OCI image indexes and Docker manifest lists.
#include "core/oci/descriptor.hpp"
#include "edgeverify/json.hpp"

namespace edgeverify {

using namespace oci_detail;

static Expected<ImageIndex> parse_index_document(const Json& document, const JsonPath& at) {
    if (auto ok = expect_object(document, at); !ok) return ok.take_error();
    if (auto ok = refuse_schema1(document, at); !ok) return ok.take_error();
    if (auto ok = check_schema_version(document, at); !ok) return ok.take_error();

    ImageIndex index;
    auto media_type = check_document_media_type(document, at, DocumentKind::index);
    if (!media_type) return media_type.take_error();
    index.media_type = std::move(media_type->media_type);
    index.docker = media_type->docker;

    auto artifact_type = optional_media_type(document, "artifactType", at);
    if (!artifact_type) return artifact_type.take_error();
    index.artifact_type = std::move(artifact_type).value();

    // Entries may be of any media type, even unknown ones (image-spec: MUST NOT error); the
    // integrity stage decides what to follow.
    auto manifests = parse_descriptor_array(document, "manifests", at);
    if (!manifests) return manifests.take_error();
    index.manifests = std::move(manifests).value();

    auto subject = parse_optional_descriptor(document, "subject", at);
    if (!subject) return subject.take_error();
    index.subject = std::move(subject).value();

    auto annotations = optional_string_map(document, "annotations", at);
    if (!annotations) return annotations.take_error();
    index.annotations = std::move(annotations).value();
    return index;
}

Expected<ImageIndex> parse_image_index(std::string_view bytes, std::string_view where) {
    return without_exceptions<ImageIndex>(where, [&]() -> Expected<ImageIndex> {
        auto document = parse_json_strict(bytes, where);
        if (!document) return document.take_error();
        return parse_index_document(*document, JsonPath(where));
    });
}

}  // namespace edgeverify
