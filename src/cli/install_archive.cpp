// build_import_archive (install_archive.hpp): filters index.json of the staged copy down to the
// verified images and names them for containerd.
#include "install_archive.hpp"

#include "edgeverify/json.hpp"
#include "edgeverify/layout_export.hpp"
#include "edgeverify/layout_writer.hpp"
#include "edgeverify/limits.hpp"

namespace edgeverify::cli {

inline constexpr const char* kContainerdNameAnnotation = "io.containerd.image.name";

Expected<std::string> build_import_archive(const StagedSource& staged, const std::vector<ImportEntry>& entries) {
    auto writer = open_layout_writer(staged.spec);
    if (!writer) return writer.take_error();
    auto text = (*writer)->read_file("index.json", limits::kMaxJsonDocumentBytes);
    if (!text) return text.take_error();
    if (!*text) return make_error(Errc::internal, "the staged copy has no index.json");
    auto index = parse_json_strict(**text, "staged index.json");
    if (!index) return index.take_error();
    if (!index->is_object() || !index->contains("manifests") || !(*index)["manifests"].is_array()) {
        return make_error(Errc::internal, "the staged index.json has no manifests array");
    }
    Json kept = Json::array();
    for (const auto& entry : entries) {
        bool found = false;
        for (const auto& descriptor : (*index)["manifests"]) {
            if (!descriptor.is_object() || descriptor.value("digest", "") != entry.top_digest.str()) continue;
            Json copy = descriptor;
            if (!copy.contains("annotations") || !copy["annotations"].is_object()) copy["annotations"] = Json::object();
            copy["annotations"][kContainerdNameAnnotation] = entry.containerd_name;
            kept.push_back(std::move(copy));
            found = true;
            break;
        }
        if (!found) {
            return make_error(Errc::internal, "the verified image " + entry.top_digest.str() +
                                                  " is not listed in the staged index.json");
        }
    }
    (*index)["manifests"] = std::move(kept);
    if (auto s = (*writer)->put_file("index.json", index->dump()); !s) return s.take_error();
    if (auto s = (*writer)->commit(); !s) return s.take_error();
    if (!staged.is_layout) return staged.spec.path;
    const std::string archive = staged.directory + "/import.tar";
    if (auto s = export_layout_as_oci_archive(staged.spec.path, archive); !s) return s.take_error();
    return archive;
}

}  // namespace edgeverify::cli
