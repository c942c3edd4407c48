// Parsing of the parts shared by OCI/Docker manifests and indexes: descriptors, platform
// objects, and the document-level checks (schema 1 refusal, schemaVersion). Private to
// src/core/oci.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/oci/json_fields.hpp"
#include "edgeverify/oci.hpp"

namespace edgeverify::oci_detail {

// A descriptor object: mediaType, digest and size required; urls, annotations, data (strict
// base64 whose length and digest must match), artifactType and platform optional.
Expected<Descriptor> parse_descriptor(const Json& value, const JsonPath& at);
// A required array of descriptors under `key`, at most limits::kMaxDescriptorsPerDocument.
Expected<std::vector<Descriptor>> parse_descriptor_array(const Json& object, std::string_view key,
                                                         const JsonPath& at);
// An optional descriptor under `key` (subject).
Expected<std::optional<Descriptor>> parse_optional_descriptor(const Json& object, std::string_view key,
                                                              const JsonPath& at);
// A platform object: architecture and os required; variant, os.version, os.features optional.
Expected<Platform> parse_platform_object(const Json& value, const JsonPath& at);

// Errc::schema1_unsupported when the document is a Docker schema 1 manifest (schemaVersion 1,
// a schema 1 mediaType, or the schema 1 fields `signatures` / `fsLayers`).
Status refuse_schema1(const Json& document, const JsonPath& at);
// schemaVersion must be present and equal to 2.
Status check_schema_version(const Json& document, const JsonPath& at);

// The top-level mediaType of a manifest or index, as written ("" when absent), and whether it
// is a Docker type.
struct DocumentMediaType {
    std::string media_type;
    bool docker = false;
};
// The optional top-level mediaType must name the `expected` kind: another known kind is
// Errc::media_type_mismatch, an unknown type Errc::unsupported_media_type. Without a mediaType,
// a document shaped like the other kind is a mismatch too.
Expected<DocumentMediaType> check_document_media_type(const Json& document, const JsonPath& at,
                                                      DocumentKind expected);

}  // namespace edgeverify::oci_detail
