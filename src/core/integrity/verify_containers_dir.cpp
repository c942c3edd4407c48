// A containers-image dir: copy: manifest.json is the image manifest (or a manifest list whose
// instances are <hex>.manifest.json); its digest is the sha256 of manifest.json as stored, and
// config and layers are files named by their bare sha256 hex. The walk is the OCI one.
#include "integrity/verify_containers_dir.hpp"

#include "integrity/blob_checks.hpp"
#include "integrity/verify_oci.hpp"

namespace edgeverify::integrity {
namespace {

constexpr std::string_view kManifestFile = "manifest.json";

// The descriptor a registry would give for manifest.json: its media type (declared, else the
// OCI type of its kind), sha256 digest and size.
Expected<Descriptor> describe_manifest_file(const BlobRecord& record) {
    auto text = document_text(record, kManifestFile);
    if (!text) return text.take_error();
    auto kind = sniff_document_kind(*text, kManifestFile);
    if (!kind) return kind.take_error();
    Descriptor d;
    d.digest = record.digest;
    d.size = static_cast<std::int64_t>(record.size);
    if (*kind == DocumentKind::index) {
        auto index = parse_image_index(*text, kManifestFile);
        if (!index) return index.take_error();
        d.media_type = index->media_type.empty() ? std::string(media_type::kOciIndex) : index->media_type;
    } else {
        auto manifest = parse_image_manifest(*text, kManifestFile);
        if (!manifest) return manifest.take_error();
        d.media_type =
            manifest->media_type.empty() ? std::string(media_type::kOciManifest) : manifest->media_type;
    }
    return d;
}

}  // namespace

void verify_containers_dir_source(BlobSource& source, const IntegrityOptions& options,
                                  IntegrityReport& report) {
    if (!source.has_file(kManifestFile)) {
        report.errors.push_back(
            make_error(Errc::archive_malformed, "manifest.json missing: not a containers-image dir: copy"));
        return;
    }
    auto record = source.file(kManifestFile);
    if (!record) {
        report.errors.push_back(record.take_error());
        return;
    }
    auto descriptor = describe_manifest_file(**record);
    if (!descriptor) {
        report.errors.push_back(descriptor.take_error());
        return;
    }
    verify_oci_document(source, *descriptor, std::string(kManifestFile), options, report);
    if (report.images.empty() && report.errors.empty()) {
        report.errors.push_back(
            make_error(Errc::no_image, "manifest.json: no image manifest: nothing to verify"));
    }
}

}  // namespace edgeverify::integrity
