// Names and exit codes of error codes (the stable vocabulary of --json output and tests).
#include "edgeverify/error.hpp"

namespace edgeverify {

std::string_view errc_name(Errc code) {
    switch (code) {
        case Errc::usage:
            return "usage";
        case Errc::config:
            return "config";
        case Errc::not_found:
            return "not-found";
        case Errc::permission_denied:
            return "permission-denied";
        case Errc::io_error:
            return "io-error";
        case Errc::json_malformed:
            return "json-malformed";
        case Errc::json_too_large:
            return "json-too-large";
        case Errc::json_too_deep:
            return "json-too-deep";
        case Errc::json_duplicate_key:
            return "json-duplicate-key";
        case Errc::schema_violation:
            return "schema-violation";
        case Errc::digest_invalid:
            return "digest-invalid";
        case Errc::digest_unsupported:
            return "digest-unsupported";
        case Errc::digest_mismatch:
            return "digest-mismatch";
        case Errc::size_mismatch:
            return "size-mismatch";
        case Errc::blob_missing:
            return "blob-missing";
        case Errc::media_type_mismatch:
            return "media-type-mismatch";
        case Errc::unsupported_media_type:
            return "unsupported-media-type";
        case Errc::schema1_unsupported:
            return "schema1-unsupported";
        case Errc::diff_id_mismatch:
            return "diff-id-mismatch";
        case Errc::layer_malformed:
            return "layer-malformed";
        case Errc::archive_malformed:
            return "archive-malformed";
        case Errc::archive_truncated:
            return "archive-truncated";
        case Errc::archive_duplicate_entry:
            return "archive-duplicate-entry";
        case Errc::unsafe_path:
            return "unsafe-path";
        case Errc::limit_exceeded:
            return "limit-exceeded";
        case Errc::graph_cycle:
            return "graph-cycle";
        case Errc::platform_not_found:
            return "platform-not-found";
        case Errc::no_image:
            return "no-image";
        case Errc::key_malformed:
            return "key-malformed";
        case Errc::unsupported_key:
            return "unsupported-key";
        case Errc::signature_invalid:
            return "signature-invalid";
        case Errc::untrusted:
            return "untrusted";
        case Errc::internal:
            return "internal";
    }
    return "internal";
}

int exit_code_for(Errc code) {
    switch (code) {
        case Errc::usage:
        case Errc::config:
            return 2;
        case Errc::not_found:
        case Errc::permission_denied:
        case Errc::io_error:
            return 3;
        default:
            return 1;
    }
}

}  // namespace edgeverify
