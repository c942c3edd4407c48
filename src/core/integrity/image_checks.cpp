// Per-image bookkeeping shared by the OCI and docker-archive walkers.
#include "integrity/image_checks.hpp"

#include "integrity/blob_checks.hpp"

namespace edgeverify::integrity {

void record_failure(IntegrityReport& report, ImageResult& image, Error error) {
    if (!image.error) image.error = error;
    report.errors.push_back(std::move(error));
}

void check_layer(const BlobRecord& record, const Digest& expected_diff_id, bool image_config,
                 LayerResult& result, const std::string& what) {
    const MediaTypeInfo declared = classify_media_type(result.descriptor.media_type);
    if (record.layer) {
        result.compression = record.layer->compression;
        result.diff_id = record.layer->diff_id;
        result.uncompressed_size = record.layer->uncompressed_size;
        result.facts = record.layer->facts;
    }
    if (declared.kind != DocumentKind::layer) {
        // Artifacts carry opaque layers: digest and size were checked, nothing else applies.
        if (image_config) {
            result.error = make_error(Errc::unsupported_media_type,
                                      what + ": layer media type " + result.descriptor.media_type +
                                          " is not a layer type an image can use");
        }
        return;
    }
    auto status = check_layer_data(record, declared, result.descriptor.media_type,
                                   image_config ? expected_diff_id : Digest{}, what);
    if (!status) result.error = status.take_error();
}

}  // namespace edgeverify::integrity
