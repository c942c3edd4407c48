// ImageFacts from an integrity-verified ImageResult: everything comes from the pass's records.
#include "edgeverify/image_facts.hpp"

#include <algorithm>

namespace edgeverify {
namespace {

// An annotation of the manifest, else a config label of the same key.
std::string annotation_or_label(const ImageResult& image, std::string_view key) {
    if (auto it = image.annotations.find(std::string(key)); it != image.annotations.end()) return it->second;
    if (image.config) {
        if (auto it = image.config->labels.find(std::string(key)); it != image.config->labels.end())
            return it->second;
    }
    return {};
}

// The topmost layer's copy of a captured file wins, as the file system the container sees.
const CapturedFile* topmost_capture(const ImageResult& image, std::string_view path) {
    const CapturedFile* found = nullptr;
    for (const LayerResult& layer : image.layers) {
        for (const CapturedFile& file : layer.facts.captured_files) {
            if (file.path == path) found = &file;
        }
    }
    return found;
}

void collect_packages(const ImageResult& image, PackageInventory& inventory) {
    if (const CapturedFile* dpkg = topmost_capture(image, "var/lib/dpkg/status")) {
        inventory.database = dpkg->path;
        inventory.ecosystem = "dpkg";
        inventory.database_truncated = dpkg->truncated;
        parse_dpkg_status(dpkg->content, inventory);
    } else if (const CapturedFile* apk = topmost_capture(image, "lib/apk/db/installed")) {
        inventory.database = apk->path;
        inventory.ecosystem = "apk";
        inventory.database_truncated = apk->truncated;
        parse_apk_installed(apk->content, inventory);
    }
    const CapturedFile* os_release = topmost_capture(image, "etc/os-release");
    if (!os_release) os_release = topmost_capture(image, "usr/lib/os-release");
    if (os_release) inventory.os_release = parse_os_release(os_release->content);
}

}  // namespace

ImageFacts collect_image_facts(const ImageResult& image) {
    ImageFacts facts;
    facts.manifest_digest = image.manifest_digest.empty() ? "" : image.manifest_digest.str();
    for (const LayerResult& layer : image.layers) {
        const std::string digest = layer.descriptor.digest.empty() ? "" : layer.descriptor.digest.str();
        const auto compressed = static_cast<std::uint64_t>(std::max<std::int64_t>(layer.descriptor.size, 0));
        facts.layers.push_back(LayerSummary{layer.index, digest, compressed, layer.uncompressed_size});
        facts.compressed_bytes += compressed;
        facts.uncompressed_bytes += layer.uncompressed_size;
        for (const LayerFinding& f : layer.facts.findings) {
            facts.findings.push_back(ImageFinding{layer.index, digest, f.kind, f.path, f.detail, std::nullopt});
        }
        facts.findings_not_listed += layer.facts.findings_not_listed;
    }
    if (image.config) {
        facts.user = image.config->user;
        facts.created = image.config->created;
        facts.labels = image.config->labels;
    }
    facts.annotations = image.annotations;
    facts.base_digest = annotation_or_label(image, annotation::kBaseDigest);
    facts.base_name = annotation_or_label(image, annotation::kBaseName);
    facts.version = annotation_or_label(image, annotation::kVersion);
    apply_recorded_whiteouts(facts.findings);
    collect_packages(image, facts.packages);
    return facts;
}

Json image_facts_to_json(const ImageFacts& facts) {
    Json layers = Json::array();
    for (const LayerSummary& l : facts.layers) {
        layers.push_back({{"index", l.index},
                          {"digest", l.digest},
                          {"size", l.compressed_bytes},
                          {"uncompressedSize", l.uncompressed_bytes}});
    }
    Json findings = Json::array();
    for (const ImageFinding& f : facts.findings) {
        findings.push_back({{"layer", f.layer_index},
                            {"layerDigest", f.layer_digest},
                            {"kind", finding_kind_name(f.kind)},
                            {"path", f.path},
                            {"detail", f.detail},
                            {"deletedByLayer", f.deleted_by_layer ? Json(*f.deleted_by_layer) : Json()}});
    }
    Json packages = Json::array();
    for (const Package& p : facts.packages.packages) {
        packages.push_back(
            {{"name", p.name}, {"version", p.version}, {"source", p.source}, {"sourceVersion", p.source_version}});
    }
    const auto or_null = [](const std::string& s) { return s.empty() ? Json() : Json(s); };
    return Json{{"manifestDigest", or_null(facts.manifest_digest)},
                {"layerCount", facts.layers.size()},
                {"size", facts.compressed_bytes},
                {"uncompressedSize", facts.uncompressed_bytes},
                {"layers", layers},
                {"user", facts.user},
                {"created", or_null(facts.created)},
                {"version", or_null(facts.version)},
                {"baseDigest", or_null(facts.base_digest)},
                {"baseName", or_null(facts.base_name)},
                {"labels", facts.labels},
                {"annotations", facts.annotations},
                {"findings", findings},
                {"findingsNotListed", facts.findings_not_listed},
                {"packages",
                 {{"database", or_null(facts.packages.database)},
                  {"ecosystem", or_null(facts.packages.ecosystem)},
                  {"databaseTruncated", facts.packages.database_truncated},
                  {"count", facts.packages.packages.size() + facts.packages.packages_not_listed},
                  {"notListed", facts.packages.packages_not_listed},
                  {"list", packages},
                  {"osRelease", facts.packages.os_release}}}};
}

}  // namespace edgeverify
