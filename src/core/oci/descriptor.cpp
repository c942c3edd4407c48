// Descriptors and platform objects, and the schema checks every manifest and index shares.
#include "core/oci/descriptor.hpp"

#include <string>

#include "edgeverify/limits.hpp"

namespace edgeverify::oci_detail {

// Embedded content must be the referenced bytes (image-spec descriptor.md, `data`).
static Status check_embedded_data(const Descriptor& descriptor, const JsonPath& here) {
    const std::string& data = *descriptor.data;
    if (static_cast<std::int64_t>(data.size()) != descriptor.size) {
        return make_error(Errc::size_mismatch,
                          here.describe() + ": decodes to " + std::to_string(data.size()) +
                              " bytes but the descriptor size is " + std::to_string(descriptor.size));
    }
    const Digest actual = digest_of(descriptor.digest.algorithm(), data);
    if (actual != descriptor.digest) {
        return make_error(Errc::digest_mismatch, here.describe() + ": embedded data hashes to " +
                                                     actual.str() + ", not " + descriptor.digest.str());
    }
    return {};
}

Expected<Descriptor> parse_descriptor(const Json& value, const JsonPath& at) {
    if (auto ok = expect_object(value, at); !ok) return ok.take_error();
    Descriptor descriptor;

    auto media_type = required_media_type(value, "mediaType", at);
    if (!media_type) return media_type.take_error();
    descriptor.media_type = std::move(media_type).value();

    auto digest = required_digest(value, "digest", at);
    if (!digest) return digest.take_error();
    descriptor.digest = std::move(digest).value();

    auto size = required_size(value, "size", at);
    if (!size) return size.take_error();
    descriptor.size = *size;

    auto urls = optional_string_array(value, "urls", at, limits::kMaxDescriptorsPerDocument);
    if (!urls) return urls.take_error();
    descriptor.urls = std::move(urls).value();

    auto annotations = optional_string_map(value, "annotations", at);
    if (!annotations) return annotations.take_error();
    descriptor.annotations = std::move(annotations).value();

    auto artifact_type = optional_media_type(value, "artifactType", at);
    if (!artifact_type) return artifact_type.take_error();
    descriptor.artifact_type = std::move(artifact_type).value();

    auto data = optional_string(value, "data", at);
    if (!data) return data.take_error();
    if (data->has_value()) {
        descriptor.data = decode_base64_strict(**data);
        if (!descriptor.data)
            return schema_error(at.field("data"), "not valid base64 (standard alphabet, padded)");
        if (auto ok = check_embedded_data(descriptor, at.field("data")); !ok) return ok.take_error();
    }

    if (const Json* platform = find_optional(value, "platform")) {
        auto parsed = parse_platform_object(*platform, at.field("platform"));
        if (!parsed) return parsed.take_error();
        descriptor.platform = std::move(parsed).value();
    }
    return descriptor;
}

Expected<std::vector<Descriptor>> parse_descriptor_array(const Json& object, std::string_view key,
                                                         const JsonPath& at) {
    const JsonPath here = at.field(key);
    const Json* member = find_member(object, key);
    if (member == nullptr) return missing_field(here);
    if (!member->is_array()) return type_error(here, "an array of descriptors", *member);
    if (member->size() > limits::kMaxDescriptorsPerDocument) {
        return make_error(Errc::limit_exceeded, here.describe() + ": " + std::to_string(member->size()) +
                                                    " descriptors, more than kMaxDescriptorsPerDocument (" +
                                                    std::to_string(limits::kMaxDescriptorsPerDocument) + ")");
    }
    std::vector<Descriptor> descriptors;
    descriptors.reserve(member->size());
    for (std::size_t i = 0; i < member->size(); ++i) {
        auto descriptor = parse_descriptor((*member)[i], here.item(i));
        if (!descriptor) return descriptor.take_error();
        descriptors.push_back(std::move(descriptor).value());
    }
    return descriptors;
}

Expected<std::optional<Descriptor>> parse_optional_descriptor(const Json& object, std::string_view key,
                                                              const JsonPath& at) {
    const Json* member = find_optional(object, key);
    if (member == nullptr) return std::optional<Descriptor>{};
    auto descriptor = parse_descriptor(*member, at.field(key));
    if (!descriptor) return descriptor.take_error();
    return std::optional<Descriptor>(std::move(descriptor).value());
}

Expected<Platform> parse_platform_object(const Json& value, const JsonPath& at) {
    if (auto ok = expect_object(value, at); !ok) return ok.take_error();
    Platform platform;

    auto architecture = required_string(value, "architecture", at);
    if (!architecture) return architecture.take_error();
    platform.architecture = std::move(architecture).value();

    auto os = required_string(value, "os", at);
    if (!os) return os.take_error();
    platform.os = std::move(os).value();

    auto variant = optional_string(value, "variant", at);
    if (!variant) return variant.take_error();
    platform.variant = variant->value_or("");

    auto os_version = optional_string(value, "os.version", at);
    if (!os_version) return os_version.take_error();
    platform.os_version = os_version->value_or("");

    auto os_features = optional_string_array(value, "os.features", at, limits::kMaxDescriptorsPerDocument);
    if (!os_features) return os_features.take_error();
    platform.os_features = std::move(os_features).value();
    return platform;
}

static bool is_schema1_media_type(std::string_view media_type) {
    return media_type == media_type::kDockerSchema1 || media_type == media_type::kDockerSchema1Signed;
}

Status refuse_schema1(const Json& document, const JsonPath& at) {
    std::string evidence;
    const Json* version = find_member(document, "schemaVersion");
    const Json* media_type = find_member(document, "mediaType");
    if (version != nullptr && version->is_number_integer() && *version == 1) {
        evidence = "schemaVersion 1";
    } else if (media_type != nullptr && media_type->is_string() &&
               is_schema1_media_type(media_type->get_ref<const std::string&>())) {
        evidence = "mediaType " + media_type->get<std::string>();
    } else if (find_member(document, "fsLayers") != nullptr) {
        evidence = "an fsLayers field";
    } else if (find_member(document, "signatures") != nullptr) {
        evidence = "a signatures field";
    } else {
        return {};
    }
    return make_error(Errc::schema1_unsupported,
                      at.describe() + ": Docker schema 1 manifests are refused (containerd 2.x no longer " +
                          "supports them); found " + evidence +
                          ". Convert the image to Docker v2 schema 2 or OCI.");
}

Status check_schema_version(const Json& document, const JsonPath& at) {
    const JsonPath here = at.field("schemaVersion");
    const Json* version = find_member(document, "schemaVersion");
    if (version == nullptr) return missing_field(here);
    if (!version->is_number_integer()) return type_error(here, "the integer 2", *version);
    if (*version != 2)
        return schema_error(here, "unsupported schema version " + version->dump() + ", expected 2");
    return {};
}

static std::string_view kind_name(DocumentKind kind) {
    switch (kind) {
        case DocumentKind::manifest:
            return "an image manifest";
        case DocumentKind::index:
            return "an image index";
        case DocumentKind::config:
            return "an image config";
        case DocumentKind::layer:
            return "a layer";
        case DocumentKind::other:
            break;
    }
    return "an unknown kind of document";
}

Expected<DocumentMediaType> check_document_media_type(const Json& document, const JsonPath& at,
                                                      DocumentKind expected) {
    auto written = optional_media_type(document, "mediaType", at);
    if (!written) return written.take_error();
    if (!written->has_value()) {
        const bool index_shaped = find_member(document, "manifests") != nullptr;
        const bool manifest_shaped =
            find_member(document, "config") != nullptr || find_member(document, "layers") != nullptr;
        if (expected == DocumentKind::manifest && index_shaped && !manifest_shaped) {
            return make_error(Errc::media_type_mismatch,
                              at.describe() +
                                  ": expected an image manifest, but the document has no mediaType and a "
                                  "manifests field: it is shaped like an image index");
        }
        if (expected == DocumentKind::index && manifest_shaped && !index_shaped) {
            return make_error(Errc::media_type_mismatch,
                              at.describe() +
                                  ": expected an image index, but the document has no mediaType and "
                                  "config/layers fields: it is shaped like an image manifest");
        }
        return DocumentMediaType{};
    }
    const std::string& media_type = **written;
    const MediaTypeInfo info = classify_media_type(media_type);
    if (info.kind == expected) return DocumentMediaType{media_type, info.docker};
    const JsonPath here = at.field("mediaType");
    if (info.kind == DocumentKind::other) {
        return make_error(Errc::unsupported_media_type, here.describe() + ": " + media_type + " is not " +
                                                            std::string(kind_name(expected)) + " media type");
    }
    return make_error(Errc::media_type_mismatch,
                      here.describe() + ": expected " + std::string(kind_name(expected)) + ", but " +
                          media_type + " is " + std::string(kind_name(info.kind)) + " media type");
}

}  // namespace edgeverify::oci_detail

namespace edgeverify {

std::string annotation_of(const Descriptor& descriptor, std::string_view key) {
    auto it = descriptor.annotations.find(std::string(key));
    return it == descriptor.annotations.end() ? std::string() : it->second;
}

}  // namespace edgeverify
