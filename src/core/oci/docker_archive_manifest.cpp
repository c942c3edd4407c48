// manifest.json of a docker-archive (`docker save`): which config and layer files make each image.
#include "core/oci/json_fields.hpp"
#include "edgeverify/json.hpp"
#include "edgeverify/limits.hpp"
#include "edgeverify/oci.hpp"

namespace edgeverify {

using namespace oci_detail;

namespace {

// A path inside the archive must stay inside it: relative, no "..", no NUL.
Status check_archive_path(const std::string& path, const JsonPath& at) {
    if (path.empty()) return schema_error(at, "empty path");
    std::string problem;
    if (path.front() == '/') {
        problem = "is absolute";
    } else if (path.find('\0') != std::string::npos) {
        problem = "contains a NUL byte";
    } else {
        std::size_t start = 0;
        while (start <= path.size()) {
            std::size_t slash = path.find('/', start);
            if (slash == std::string::npos) slash = path.size();
            if (path.compare(start, slash - start, "..") == 0) {
                problem = "contains a \"..\" component";
                break;
            }
            start = slash + 1;
        }
    }
    if (problem.empty()) return {};
    return make_error(Errc::unsafe_path, at.describe() + ": path \"" + path + "\" " + problem +
                                             "; archive paths must be relative and stay inside the archive");
}

Expected<std::string> archive_path(const Json& object, std::string_view key, const JsonPath& at) {
    auto path = required_string(object, key, at);
    if (!path) return path.take_error();
    if (auto ok = check_archive_path(*path, at.field(key)); !ok) return ok.take_error();
    return path;
}

Expected<DockerArchiveImage> parse_archive_image(const Json& item, const JsonPath& at) {
    if (auto ok = expect_object(item, at); !ok) return ok.take_error();
    DockerArchiveImage image;

    auto config = archive_path(item, "Config", at);
    if (!config) return config.take_error();
    image.config_path = std::move(config).value();

    // RepoTags is null for an image saved by ID.
    auto tags = optional_string_array(item, "RepoTags", at, limits::kMaxDescriptorsPerDocument);
    if (!tags) return tags.take_error();
    image.repo_tags = std::move(tags).value();

    const JsonPath layers_path = at.field("Layers");
    const Json* layers = find_member(item, "Layers");
    if (layers == nullptr) return missing_field(layers_path);
    if (!layers->is_array()) return type_error(layers_path, "an array of paths", *layers);
    if (layers->size() > limits::kMaxDescriptorsPerDocument) {
        return make_error(Errc::limit_exceeded, layers_path.describe() + ": " +
                                                    std::to_string(layers->size()) +
                                                    " layers, more than kMaxDescriptorsPerDocument (" +
                                                    std::to_string(limits::kMaxDescriptorsPerDocument) + ")");
    }
    for (std::size_t i = 0; i < layers->size(); ++i) {
        const Json& layer = (*layers)[i];
        const JsonPath here = layers_path.item(i);
        if (!layer.is_string()) return type_error(here, "a path string", layer);
        auto path = layer.get<std::string>();
        if (auto ok = check_archive_path(path, here); !ok) return ok.take_error();
        image.layer_paths.push_back(std::move(path));
    }
    return image;
}

Expected<std::vector<DockerArchiveImage>> parse_archive_manifest(const Json& document, const JsonPath& at) {
    if (!document.is_array()) {
        return make_error(Errc::archive_malformed, at.describe() +
                                                       ": expected a non-empty JSON array of images, got " +
                                                       describe_json_value(document));
    }
    if (document.empty()) {
        return make_error(Errc::archive_malformed, at.describe() + ": the image list is empty");
    }
    if (document.size() > limits::kMaxImagesPerSource) {
        return make_error(Errc::limit_exceeded, at.describe() + ": " + std::to_string(document.size()) +
                                                    " images, more than kMaxImagesPerSource (" +
                                                    std::to_string(limits::kMaxImagesPerSource) + ")");
    }
    std::vector<DockerArchiveImage> images;
    images.reserve(document.size());
    for (std::size_t i = 0; i < document.size(); ++i) {
        auto image = parse_archive_image(document[i], at.item(i));
        if (!image) return image.take_error();
        images.push_back(std::move(image).value());
    }
    return images;
}

}  // namespace

Expected<std::vector<DockerArchiveImage>> parse_docker_archive_manifest(std::string_view bytes,
                                                                        std::string_view where) {
    using Images = std::vector<DockerArchiveImage>;
    return without_exceptions<Images>(where, [&]() -> Expected<Images> {
        auto document = parse_json_strict(bytes, where);
        if (!document) return document.take_error();
        return parse_archive_manifest(*document, JsonPath(where));
    });
}

}  // namespace edgeverify
