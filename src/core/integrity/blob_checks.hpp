// Private: checks a blob of a source against the descriptor that names it.
#pragma once

#include <string>
#include <string_view>

#include "edgeverify/oci.hpp"
#include "edgeverify/source.hpp"

namespace edgeverify::integrity {

// "blobs/<alg>/<hex>" for a digest.
std::string blob_path(const Digest& digest);
// Where a blob lives in a source of `kind`: "blobs/<alg>/<hex>", or the bare hex in a
// containers-image dir: copy.
std::string blob_path(SourceKind kind, const Digest& digest);

// Presence, size, digest, and the embedded `data` field when present. `what` names the blob in
// errors ("layer 2 of manifest sha256:.."). `path`: where the blob is when it is not at
// blob_path() (a dir: copy's manifest.json); empty for blob_path().
Expected<const BlobRecord*> check_blob(BlobSource& source, const Descriptor& descriptor, std::string_view what,
                                       std::string_view path = {});

// The kept JSON text of a checked blob, or the reason it has none (too large, not JSON).
Expected<std::string_view> document_text(const BlobRecord& record, std::string_view what);

// Layer data against its media type, then its decompressed digest against the config's diff_id
// (`expected_diff_id` empty when the config is not an image config).
Status check_layer_data(const BlobRecord& record, const MediaTypeInfo& declared, std::string_view media_type,
                        const Digest& expected_diff_id, std::string_view what);

std::string short_digest(const Digest& digest);

}  // namespace edgeverify::integrity
