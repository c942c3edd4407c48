// Walks an OCI layout or oci-archive: oci-layout -> index.json -> (index ->)* manifest ->
// config -> layers, checking every reachable blob; signature and referrer artifacts listed in
// index.json are not images and are skipped. Also walks a dir: copy's manifest.json.
#include "integrity/verify_oci.hpp"

#include <algorithm>

#include "edgeverify/json.hpp"
#include "integrity/artifact_entries.hpp"
#include "integrity/blob_checks.hpp"
#include "integrity/image_checks.hpp"

namespace edgeverify::integrity {
namespace {

std::string image_name_of(const Descriptor& d) {
    auto name = annotation_of(d, annotation::kContainerdName);
    return name.empty() ? annotation_of(d, annotation::kRefName) : name;
}

bool names_match(const Descriptor& d, const std::string& wanted) {
    return annotation_of(d, annotation::kRefName) == wanted ||
           annotation_of(d, annotation::kContainerdName) == wanted;
}

// A descriptor and its document contradict each other when they name different kinds (manifest
// vs index), as containerd judges it; an OCI descriptor for a Docker v2s2 manifest of the same
// kind is accepted like containerd and go-containerregistry accept it.
bool contradicts(const std::string& descriptor_type, const std::string& document_type) {
    return classify_media_type(descriptor_type).kind != classify_media_type(document_type).kind;
}

std::string platform_list(const ImageIndex& index) {
    std::string out;
    for (const auto& m : index.manifests) {
        if (!m.platform) continue;
        if (!out.empty()) out += ", ";
        out += m.platform->str();
    }
    return out.empty() ? "none" : out;
}

class OciWalker {
public:
    OciWalker(BlobSource& source, const IntegrityOptions& options, IntegrityReport& report)
        : source_(source), options_(options), report_(report) {}

    void run(const std::string& image_name) {
        if (auto status = check_layout_header(); !status) return fail(status.take_error());
        auto index = read_top_index();
        if (!index) return fail(index.take_error());

        std::vector<const Descriptor*> candidates;
        for (const auto& d : index->manifests) {
            if (!image_name.empty() ? names_match(d, image_name) : !is_artifact_entry(source_, d)) {
                candidates.push_back(&d);
            }
        }
        if (!image_name.empty() && candidates.empty()) {
            std::string names;
            for (const auto& d : index->manifests) {
                auto n = image_name_of(d);
                if (n.empty()) continue;
                names += names.empty() ? n : ", " + n;
            }
            return fail(make_error(Errc::no_image,
                                   "index.json: no image named '" + image_name +
                                       "' (names present: " + (names.empty() ? "none" : names) + ")"));
        }
        if (candidates.size() > limits::kMaxImagesPerSource) {
            return fail(make_error(Errc::limit_exceeded, "index.json: more than kMaxImagesPerSource (" +
                                                             std::to_string(limits::kMaxImagesPerSource) +
                                                             ") images"));
        }
        for (const Descriptor* d : candidates) visit_top(*d);
        if (report_.images.empty() && report_.errors.empty()) {
            fail(make_error(Errc::no_image,
                            "index.json lists no image manifest or index of a known media type: "
                            "nothing to verify"));
        }
    }

    // One manifest or index read from `document_path` instead of its blob path (a dir: copy's
    // manifest.json), verified as an entry of index.json would be.
    void run_document(const Descriptor& d, const std::string& document_path) { visit_top(d, document_path); }

private:
    void fail(Error e) { report_.errors.push_back(std::move(e)); }

    Status check_layout_header() {
        if (!source_.has_file("oci-layout")) {
            return make_error(Errc::archive_malformed, "oci-layout file missing: not an OCI image layout");
        }
        auto record = source_.file("oci-layout");
        if (!record) return record.take_error();
        auto text = document_text(**record, "oci-layout");
        if (!text) return text.take_error();
        auto json = parse_json_strict(*text, "oci-layout");
        if (!json) return json.take_error();
        const auto it = json->is_object() ? json->find("imageLayoutVersion") : json->end();
        if (it == json->end() || !it->is_string()) {
            return make_error(Errc::schema_violation, "oci-layout: imageLayoutVersion: expected a string");
        }
        if (it->get<std::string>() != "1.0.0") {
            return make_error(Errc::schema_violation, "oci-layout: unsupported imageLayoutVersion '" +
                                                          it->get<std::string>() + "' (want 1.0.0)");
        }
        return {};
    }

    Expected<ImageIndex> read_top_index() {
        if (!source_.has_file("index.json")) {
            return make_error(Errc::archive_malformed, "index.json missing: not an OCI image layout");
        }
        auto record = source_.file("index.json");
        if (!record) return record.take_error();
        auto text = document_text(**record, "index.json");
        if (!text) return text.take_error();
        return parse_image_index(*text, "index.json");
    }

    void visit_top(const Descriptor& d, const std::string& document_path = {}) {
        const MediaTypeInfo info = classify_media_type(d.media_type);
        if (info.kind == DocumentKind::manifest) {
            ImageResult image;
            image.name = image_name_of(d);
            image.platform = d.platform;
            verify_manifest(d, image, document_path);
            report_.images.push_back(std::move(image));
        } else if (info.kind == DocumentKind::index) {
            std::vector<Digest> path;
            verify_index(d, image_name_of(d), path, document_path);
        }
        // Unknown media types in index.json are skipped, never an error (image-layout.md).
    }

    // Where a manifest or index named by an index is: its blob, or in a dir: copy <hex>.manifest.json.
    std::string child_document_path(const Descriptor& child) const {
        return source_.kind() == SourceKind::containers_dir ? child.digest.hex() + ".manifest.json"
                                                            : std::string();
    }

    void verify_index(const Descriptor& d, const std::string& name, std::vector<Digest>& path,
                      const std::string& document_path = {}) {
        const std::string what = "index " + d.digest.str();
        ImageResult failed;  // carries index-level failures into the report as an image entry
        failed.name = name;
        failed.index_digest = d.digest;
        const auto index_failure = [&](Error e) {
            record_failure(report_, failed, std::move(e));
            report_.images.push_back(std::move(failed));
        };
        if (std::find(path.begin(), path.end(), d.digest) != path.end()) {
            return index_failure(make_error(Errc::graph_cycle, what + ": the index references itself"));
        }
        if (static_cast<int>(path.size()) >= limits::kMaxIndexDepth) {
            return index_failure(
                make_error(Errc::limit_exceeded, what + ": indexes nested deeper than kMaxIndexDepth (" +
                                                     std::to_string(limits::kMaxIndexDepth) + ")"));
        }
        auto record = check_blob(source_, d, what, document_path);
        if (!record) return index_failure(record.take_error());
        auto text = document_text(**record, what);
        if (!text) return index_failure(text.take_error());
        auto index = parse_image_index(*text, what);
        if (!index) return index_failure(index.take_error());
        if (!index->media_type.empty() && contradicts(d.media_type, index->media_type)) {
            return index_failure(make_error(
                Errc::media_type_mismatch,
                what + ": descriptor says " + d.media_type + ", the document says " + index->media_type));
        }

        path.push_back(d.digest);
        std::vector<const Descriptor*> children;
        if (options_.all_platforms) {
            for (const auto& m : index->manifests) children.push_back(&m);
        } else {
            const Platform wanted = options_.platform.value_or(host_platform());
            auto chosen = select_platform(*index, wanted);
            if (!chosen) {
                path.pop_back();
                return index_failure(
                    make_error(Errc::platform_not_found, what + ": no manifest for " + wanted.str() +
                                                             " (available: " + platform_list(*index) + ")"));
            }
            children.push_back(&index->manifests[*chosen]);
        }
        for (const Descriptor* child : children) {
            const MediaTypeInfo info = classify_media_type(child->media_type);
            if (info.kind == DocumentKind::manifest) {
                ImageResult image;
                image.name = name;
                image.index_digest = d.digest;
                image.platform = child->platform;
                verify_manifest(*child, image, child_document_path(*child));
                report_.images.push_back(std::move(image));
            } else if (info.kind == DocumentKind::index) {
                verify_index(*child, name, path, child_document_path(*child));
            }
        }
        path.pop_back();
    }

    void verify_manifest(const Descriptor& d, ImageResult& image, const std::string& document_path = {}) {
        image.manifest_digest = d.digest;
        image.manifest_media_type = d.media_type;
        const std::string what = "manifest " + d.digest.str();
        auto record = check_blob(source_, d, what, document_path);
        if (!record) return record_failure(report_, image, record.take_error());
        auto text = document_text(**record, what);
        if (!text) return record_failure(report_, image, text.take_error());
        auto manifest = parse_image_manifest(*text, what);
        if (!manifest) return record_failure(report_, image, manifest.take_error());
        if (!manifest->media_type.empty() && contradicts(d.media_type, manifest->media_type)) {
            return record_failure(
                report_, image,
                make_error(Errc::media_type_mismatch, what + ": descriptor says " + d.media_type +
                                                          ", the document says " + manifest->media_type));
        }

        image.config_digest = manifest->config.digest;
        image.config_media_type = manifest->config.media_type;
        image.annotations = manifest->annotations;
        const std::string config_what = "config " + manifest->config.digest.str() + " of " + what;
        auto config_record = check_blob(source_, manifest->config, config_what);
        if (!config_record) return record_failure(report_, image, config_record.take_error());
        const MediaTypeInfo config_info = classify_media_type(manifest->config.media_type);
        image.container_image = config_info.kind == DocumentKind::config;
        if (image.container_image) {
            auto config_text = document_text(**config_record, config_what);
            if (!config_text) return record_failure(report_, image, config_text.take_error());
            auto config = parse_image_config(*config_text, config_what);
            if (!config) return record_failure(report_, image, config.take_error());
            image.config = std::move(*config);
            if (!image.platform) {
                image.platform =
                    Platform{image.config->os, image.config->architecture, image.config->variant, {}, {}};
            }
            if (image.config->diff_ids.size() != manifest->layers.size()) {
                return record_failure(
                    report_, image,
                    make_error(Errc::diff_id_mismatch, config_what + ": rootfs.diff_ids lists " +
                                                           std::to_string(image.config->diff_ids.size()) +
                                                           " layers, " + what + " has " +
                                                           std::to_string(manifest->layers.size())));
            }
        }
        verify_layers(*manifest, what, image);
    }

    void verify_layers(const ImageManifest& manifest, const std::string& manifest_what, ImageResult& image) {
        for (std::size_t i = 0; i < manifest.layers.size(); ++i) {
            LayerResult layer;
            layer.index = i;
            layer.descriptor = manifest.layers[i];
            const std::string what = "layer " + std::to_string(i + 1) + "/" +
                                     std::to_string(manifest.layers.size()) + " (" +
                                     layer.descriptor.digest.str() + ") of " + manifest_what;
            auto record = check_blob(source_, layer.descriptor, what);
            if (!record) {
                layer.error = record.take_error();
            } else {
                const Digest expected = image.config ? image.config->diff_ids[i] : Digest{};
                check_layer(**record, expected, image.container_image, layer, what);
            }
            if (layer.error) record_failure(report_, image, *layer.error);
            image.layers.push_back(std::move(layer));
        }
    }

    BlobSource& source_;
    const IntegrityOptions& options_;
    IntegrityReport& report_;
};

}  // namespace

void verify_oci_source(BlobSource& source, const std::string& image_name, const IntegrityOptions& options,
                       IntegrityReport& report) {
    OciWalker(source, options, report).run(image_name);
}

void verify_oci_document(BlobSource& source, const Descriptor& document, const std::string& document_path,
                         const IntegrityOptions& options, IntegrityReport& report) {
    OciWalker(source, options, report).run_document(document, document_path);
}

}  // namespace edgeverify::integrity
