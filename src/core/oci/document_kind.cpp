// Telling a manifest from an index when the source does not say (a bare file, a blob).
#include "core/oci/descriptor.hpp"
#include "edgeverify/json.hpp"

namespace edgeverify {

using namespace oci_detail;

static Expected<DocumentKind> sniff_document(const Json& document, const JsonPath& at) {
    if (auto ok = expect_object(document, at); !ok) return ok.take_error();
    if (auto ok = refuse_schema1(document, at); !ok) return ok.take_error();

    auto media_type = optional_string(document, "mediaType", at);
    if (!media_type) return media_type.take_error();
    if (media_type->has_value()) return classify_media_type(**media_type).kind;

    const Json* manifests = find_member(document, "manifests");
    if (manifests != nullptr && manifests->is_array()) return DocumentKind::index;
    if (find_member(document, "config") != nullptr && find_member(document, "layers") != nullptr) {
        return DocumentKind::manifest;
    }
    return schema_error(at,
                        "neither an image manifest (config and layers) nor an image index (manifests), "
                        "and no mediaType says what it is");
}

Expected<DocumentKind> sniff_document_kind(std::string_view bytes, std::string_view where) {
    return without_exceptions<DocumentKind>(where, [&]() -> Expected<DocumentKind> {
        auto document = parse_json_strict(bytes, where);
        if (!document) return document.take_error();
        return sniff_document(*document, JsonPath(where));
    });
}

}  // namespace edgeverify
