// Image configs (OCI and Docker share the shape): platform, user, labels and rootfs.diff_ids.
#include "core/oci/json_fields.hpp"
#include "edgeverify/json.hpp"
#include "edgeverify/limits.hpp"
#include "edgeverify/oci.hpp"

namespace edgeverify {

using namespace oci_detail;

// The `config` object (execution parameters): only what later checks use. Absent or null is
// fine: a config without execution parameters runs with the defaults.
static Status parse_execution_config(const Json& document, const JsonPath& at, ImageConfig& config) {
    const Json* execution = find_optional(document, "config");
    if (execution == nullptr) return {};
    const JsonPath here = at.field("config");
    if (auto ok = expect_object(*execution, here); !ok) return ok.take_error();

    auto user = optional_string(*execution, "User", here);
    if (!user) return user.take_error();
    config.user = user->value_or("");

    auto labels = optional_string_map(*execution, "Labels", here);
    if (!labels) return labels.take_error();
    config.labels = std::move(labels).value();
    return {};
}

static Status parse_rootfs(const Json& document, const JsonPath& at, ImageConfig& config) {
    const JsonPath here = at.field("rootfs");
    const Json* rootfs = find_member(document, "rootfs");
    if (rootfs == nullptr) return missing_field(here);
    if (auto ok = expect_object(*rootfs, here); !ok) return ok.take_error();

    auto type = required_string(*rootfs, "type", here);
    if (!type) return type.take_error();
    if (*type != "layers") {
        return schema_error(here.field("type"), "must be \"layers\", got \"" + *type + "\"");
    }
    config.rootfs_type = std::move(type).value();

    const JsonPath diff_ids_path = here.field("diff_ids");
    const Json* diff_ids = find_member(*rootfs, "diff_ids");
    if (diff_ids == nullptr) return missing_field(diff_ids_path);
    if (!diff_ids->is_array()) return type_error(diff_ids_path, "an array of digests", *diff_ids);
    if (diff_ids->size() > limits::kMaxDescriptorsPerDocument) {
        return make_error(Errc::limit_exceeded, diff_ids_path.describe() + ": " +
                                                    std::to_string(diff_ids->size()) +
                                                    " diff_ids, more than kMaxDescriptorsPerDocument (" +
                                                    std::to_string(limits::kMaxDescriptorsPerDocument) + ")");
    }
    config.diff_ids.reserve(diff_ids->size());
    for (std::size_t i = 0; i < diff_ids->size(); ++i) {
        const Json& item = (*diff_ids)[i];
        if (!item.is_string()) return type_error(diff_ids_path.item(i), "a digest string", item);
        auto digest = Digest::parse(item.get_ref<const std::string&>());
        if (!digest) return located_error(diff_ids_path.item(i), digest.error());
        config.diff_ids.push_back(std::move(digest).value());
    }
    return {};
}

static Expected<ImageConfig> parse_config_document(const Json& document, const JsonPath& at) {
    if (auto ok = expect_object(document, at); !ok) return ok.take_error();
    ImageConfig config;

    auto architecture = required_string(document, "architecture", at);
    if (!architecture) return architecture.take_error();
    config.architecture = std::move(architecture).value();

    auto os = required_string(document, "os", at);
    if (!os) return os.take_error();
    config.os = std::move(os).value();

    auto variant = optional_string(document, "variant", at);
    if (!variant) return variant.take_error();
    config.variant = variant->value_or("");

    auto created = optional_string(document, "created", at);
    if (!created) return created.take_error();
    config.created = created->value_or("");

    if (auto ok = parse_execution_config(document, at, config); !ok) return ok.take_error();
    if (auto ok = parse_rootfs(document, at, config); !ok) return ok.take_error();
    return config;
}

Expected<ImageConfig> parse_image_config(std::string_view bytes, std::string_view where) {
    return without_exceptions<ImageConfig>(where, [&]() -> Expected<ImageConfig> {
        auto document = parse_json_strict(bytes, where);
        if (!document) return document.take_error();
        return parse_config_document(*document, JsonPath(where));
    });
}

}  // namespace edgeverify
