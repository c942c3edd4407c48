// OCI image manifests and Docker v2 schema 2 manifests.
#include "core/oci/descriptor.hpp"
#include "edgeverify/json.hpp"

namespace edgeverify {

using namespace oci_detail;

static Expected<ImageManifest> parse_manifest_document(const Json& document, const JsonPath& at) {
    if (auto ok = expect_object(document, at); !ok) return ok.take_error();
    if (auto ok = refuse_schema1(document, at); !ok) return ok.take_error();
    if (auto ok = check_schema_version(document, at); !ok) return ok.take_error();

    ImageManifest manifest;
    auto media_type = check_document_media_type(document, at, DocumentKind::manifest);
    if (!media_type) return media_type.take_error();
    manifest.media_type = std::move(media_type->media_type);
    manifest.docker = media_type->docker;

    auto artifact_type = optional_media_type(document, "artifactType", at);
    if (!artifact_type) return artifact_type.take_error();
    manifest.artifact_type = std::move(artifact_type).value();

    const Json* config = find_member(document, "config");
    if (config == nullptr) return missing_field(at.field("config"));
    auto config_descriptor = parse_descriptor(*config, at.field("config"));
    if (!config_descriptor) return config_descriptor.take_error();
    manifest.config = std::move(config_descriptor).value();

    auto layers = parse_descriptor_array(document, "layers", at);
    if (!layers) return layers.take_error();
    manifest.layers = std::move(layers).value();

    auto subject = parse_optional_descriptor(document, "subject", at);
    if (!subject) return subject.take_error();
    manifest.subject = std::move(subject).value();

    auto annotations = optional_string_map(document, "annotations", at);
    if (!annotations) return annotations.take_error();
    manifest.annotations = std::move(annotations).value();
    return manifest;
}

Expected<ImageManifest> parse_image_manifest(std::string_view bytes, std::string_view where) {
    return without_exceptions<ImageManifest>(where, [&]() -> Expected<ImageManifest> {
        auto document = parse_json_strict(bytes, where);
        if (!document) return document.take_error();
        return parse_manifest_document(*document, JsonPath(where));
    });
}

}  // namespace edgeverify
