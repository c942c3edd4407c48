// docker-archive: manifest.json -> config file -> layer files. The archive holds no registry
// manifest, so integrity rests on content-addressed file names (config "<hex>.json" or
// "blobs/sha256/<hex>") and on every decompressed layer matching the config's diff_ids.
#include "integrity/verify_docker_archive.hpp"

#include <algorithm>
#include <regex>

#include "integrity/blob_checks.hpp"
#include "integrity/image_checks.hpp"

namespace edgeverify::integrity {
namespace {

// The digest a file name promises: "blobs/sha256/<hex>", "<hex>.json" or "<hex>/layer.tar" style
// names carry none except the first two.
std::optional<Digest> digest_named_by(const std::string& path) {
    static const std::regex kBlobPath("^blobs/(sha256|sha512)/([0-9a-f]+)$");
    static const std::regex kConfigPath("^([0-9a-f]{64})\\.json$");
    std::smatch m;
    if (std::regex_match(path, m, kBlobPath)) {
        auto d = Digest::parse(m[1].str() + ":" + m[2].str());
        if (d) return *d;
    } else if (std::regex_match(path, m, kConfigPath)) {
        auto d = Digest::parse("sha256:" + m[1].str());
        if (d) return *d;
    }
    return std::nullopt;
}

Expected<const BlobRecord*> named_file(BlobSource& source, const std::string& path, const std::string& what) {
    auto record = source.file(path);
    if (!record) {
        const Error& e = record.error();
        if (e.code == Errc::blob_missing) {
            return make_error(Errc::blob_missing, what + ": " + path + " is missing from the archive");
        }
        return make_error(e.code, what + ": " + e.message);
    }
    if (auto promised = digest_named_by(path); promised && (**record).digest != *promised) {
        return make_error(Errc::digest_mismatch, what + ": " + path + " hashes to " +
                                                     (**record).digest.str() + ", not " + promised->str());
    }
    return *record;
}

void verify_item(BlobSource& source, const DockerArchiveImage& item, std::size_t item_index,
                 IntegrityReport& report) {
    ImageResult image;
    image.name = item.repo_tags.empty() ? std::string() : item.repo_tags.front();
    image.container_image = true;
    const std::string what = "manifest.json[" + std::to_string(item_index) + "]";
    const auto finish = [&](std::optional<Error> e) {
        if (e) record_failure(report, image, std::move(*e));
        report.images.push_back(std::move(image));
    };

    const std::string config_what = "config " + item.config_path + " of " + what;
    auto config_record = named_file(source, item.config_path, config_what);
    if (!config_record) return finish(config_record.take_error());
    image.config_digest = (**config_record).digest;
    image.config_media_type = std::string(media_type::kDockerConfig);
    auto config_text = document_text(**config_record, config_what);
    if (!config_text) return finish(config_text.take_error());
    auto config = parse_image_config(*config_text, config_what);
    if (!config) return finish(config.take_error());
    image.config = std::move(*config);
    image.platform = Platform{image.config->os, image.config->architecture, image.config->variant, {}, {}};
    if (image.config->diff_ids.size() != item.layer_paths.size()) {
        return finish(make_error(Errc::diff_id_mismatch, config_what + ": rootfs.diff_ids lists " +
                                                             std::to_string(image.config->diff_ids.size()) +
                                                             " layers, " + what + " has " +
                                                             std::to_string(item.layer_paths.size())));
    }

    for (std::size_t i = 0; i < item.layer_paths.size(); ++i) {
        LayerResult layer;
        layer.index = i;
        const std::string& path = item.layer_paths[i];
        const std::string layer_what = "layer " + std::to_string(i + 1) + "/" +
                                       std::to_string(item.layer_paths.size()) + " (" + path + ") of " + what;
        auto record = named_file(source, path, layer_what);
        if (!record) {
            layer.error = record.take_error();
        } else {
            const BlobRecord& blob = **record;
            layer.descriptor.digest = blob.digest;
            layer.descriptor.size = static_cast<std::int64_t>(blob.size);
            // The archive says nothing of the layer's compression: take what the data is.
            const Compression found = blob.layer ? blob.layer->compression : Compression::none;
            layer.descriptor.media_type =
                std::string(found == Compression::gzip   ? media_type::kDockerLayerGzip
                            : found == Compression::zstd ? media_type::kOciLayerZstd
                                                         : media_type::kOciLayerTar);
            check_layer(blob, image.config->diff_ids[i], true, layer, layer_what);
        }
        if (layer.error) record_failure(report, image, *layer.error);
        image.layers.push_back(std::move(layer));
    }
    finish(std::nullopt);
}

}  // namespace

void verify_docker_archive_source(BlobSource& source, const std::string& image_name,
                                  IntegrityReport& report) {
    auto record = source.file("manifest.json");
    if (!record) {
        report.errors.push_back(
            make_error(Errc::archive_malformed, "manifest.json: " + record.error().message));
        return;
    }
    auto text = document_text(**record, "manifest.json");
    if (!text) return report.errors.push_back(text.take_error());
    auto items = parse_docker_archive_manifest(*text, "manifest.json");
    if (!items) return report.errors.push_back(items.take_error());
    if (items->size() > limits::kMaxImagesPerSource) {
        return report.errors.push_back(
            make_error(Errc::limit_exceeded, "manifest.json: more than kMaxImagesPerSource (" +
                                                 std::to_string(limits::kMaxImagesPerSource) + ") images"));
    }
    bool named_found = false;
    for (std::size_t i = 0; i < items->size(); ++i) {
        const auto& item = (*items)[i];
        if (!image_name.empty() &&
            std::find(item.repo_tags.begin(), item.repo_tags.end(), image_name) == item.repo_tags.end()) {
            continue;
        }
        named_found = true;
        verify_item(source, item, i, report);
    }
    if (!image_name.empty() && !named_found) {
        report.errors.push_back(
            make_error(Errc::no_image, "manifest.json: no image tagged '" + image_name + "' in RepoTags"));
    }
}

}  // namespace edgeverify::integrity
