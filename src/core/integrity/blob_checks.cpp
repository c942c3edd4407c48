// Blob-level integrity: presence, size, digest, embedded data, layer data and diff_id.
#include "integrity/blob_checks.hpp"

#include "edgeverify/limits.hpp"

namespace edgeverify::integrity {

std::string blob_path(const Digest& digest) {
    return "blobs/" + std::string(digest_algorithm_name(digest.algorithm())) + "/" + digest.hex();
}

std::string blob_path(SourceKind kind, const Digest& digest) {
    return kind == SourceKind::containers_dir ? digest.hex() : blob_path(digest);
}

std::string short_digest(const Digest& digest) {
    return digest.str().substr(0, 7 + 12);
}

namespace {
std::string data_kind(Compression compression) {
    return compression == Compression::none ? "uncompressed tar" : std::string(compression_name(compression));
}
}  // namespace

Expected<const BlobRecord*> check_blob(BlobSource& source, const Descriptor& descriptor,
                                       std::string_view what, std::string_view path) {
    const std::string name(what);
    if (path.empty() && source.kind() == SourceKind::containers_dir &&
        descriptor.digest.algorithm() != DigestAlgorithm::sha256) {
        return make_error(Errc::digest_unsupported, name + ": blob " + descriptor.digest.str() +
                                                        ": a dir: copy names blobs by sha256 only");
    }
    const std::string where = path.empty() ? blob_path(source.kind(), descriptor.digest) : std::string(path);
    auto record = source.file(where);
    if (!record) {
        const Error& e = record.error();
        if (e.code == Errc::blob_missing) {
            return make_error(Errc::blob_missing,
                              name + ": blob " + descriptor.digest.str() + " is missing (" + where + ")");
        }
        return make_error(e.code, name + ": " + e.message);
    }
    const BlobRecord& blob = **record;
    if (descriptor.size < 0 || blob.size != static_cast<std::uint64_t>(descriptor.size)) {
        return make_error(Errc::size_mismatch,
                          name + ": blob " + descriptor.digest.str() + " has " + std::to_string(blob.size) +
                              " bytes, the descriptor says " + std::to_string(descriptor.size));
    }
    if (blob.digest != descriptor.digest) {
        return make_error(Errc::digest_mismatch, name + ": blob " + where + " hashes to " +
                                                     blob.digest.str() + ", not " + descriptor.digest.str());
    }
    if (descriptor.data && digest_of(descriptor.digest.algorithm(), *descriptor.data) != descriptor.digest) {
        return make_error(Errc::digest_mismatch, name + ": the descriptor's embedded data does not hash to " +
                                                     descriptor.digest.str());
    }
    return *record;
}

Expected<std::string_view> document_text(const BlobRecord& record, std::string_view what) {
    if (record.content) return std::string_view(*record.content);
    const std::string name(what);
    if (record.size > limits::kMaxJsonDocumentBytes) {
        return make_error(Errc::json_too_large, name + ": JSON document of " + std::to_string(record.size) +
                                                    " bytes exceeds kMaxJsonDocumentBytes (" +
                                                    std::to_string(limits::kMaxJsonDocumentBytes) + ")");
    }
    const std::string looks = record.layer ? data_kind(record.layer->compression) : "binary";
    return make_error(Errc::json_malformed,
                      name + ": not a JSON document (the blob holds " + looks + " data)");
}

Status check_layer_data(const BlobRecord& record, const MediaTypeInfo& declared, std::string_view media_type,
                        const Digest& expected_diff_id, std::string_view what) {
    const std::string name(what);
    if (!record.layer) {
        if (declared.compression == Compression::none) {
            return make_error(Errc::layer_malformed, name + ": declared " + std::string(media_type) +
                                                         " but the blob is not a tar archive");
        }
        return make_error(Errc::media_type_mismatch, name + ": declared " + std::string(media_type) +
                                                         " but the blob is not " +
                                                         data_kind(declared.compression) + " data");
    }
    const LayerScan& layer = *record.layer;
    if (layer.compression != declared.compression) {
        return make_error(Errc::media_type_mismatch, name + ": declared " + std::string(media_type) +
                                                         " but the blob is " + data_kind(layer.compression) +
                                                         " data");
    }
    if (layer.error) return make_error(layer.error->code, name + ": " + layer.error->message);
    if (!expected_diff_id.empty() && expected_diff_id.algorithm() != DigestAlgorithm::sha256) {
        return make_error(Errc::digest_unsupported,
                          name + ": config diff_id " + expected_diff_id.str() +
                              " uses an algorithm other than sha256 (not supported)");
    }
    if (!expected_diff_id.empty() && layer.diff_id != expected_diff_id) {
        return make_error(Errc::diff_id_mismatch, name + ": decompressed layer hashes to " +
                                                      layer.diff_id.str() + ", config rootfs.diff_ids says " +
                                                      expected_diff_id.str());
    }
    return {};
}

}  // namespace edgeverify::integrity
