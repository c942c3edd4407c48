// Finding signatures offline and reading what they claim: cosign simple-signing payloads,
// cosign's legacy `sha256-<hex>.sig` manifests in an OCI layout or archive, and the signature-N
// files of a containers-image `dir:` copy (FORMATS.md A).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "edgeverify/digest.hpp"
#include "edgeverify/error.hpp"
#include "edgeverify/json.hpp"
#include "edgeverify/source.hpp"

namespace edgeverify {

namespace cosign {
inline constexpr std::string_view kSimpleSigningMediaType =
    "application/vnd.dev.cosign.simplesigning.v1+json";
inline constexpr std::string_view kSignatureType = "cosign container image signature";
inline constexpr std::string_view kSignatureAnnotation = "dev.cosignproject.cosign/signature";
inline constexpr std::string_view kCertificateAnnotation = "dev.sigstore.cosign/certificate";
inline constexpr std::string_view kChainAnnotation = "dev.sigstore.cosign/chain";
inline constexpr std::string_view kBundleAnnotation = "dev.sigstore.cosign/bundle";
inline constexpr std::string_view kSaveKindAnnotation = "kind";
inline constexpr std::string_view kSaveKindSignatures = "dev.cosignproject.cosign/sigs";
}  // namespace cosign

// What a simple-signing payload claims (FORMATS.md A.4), parsed strictly: exactly the members
// critical{identity{docker-reference}, image{docker-manifest-digest}, type} and optional
// (an object or null); unknown members in `optional` are kept.
struct SimpleSigningPayload {
    std::string docker_reference;
    Digest manifest_digest;
    Json optional;  // null or an object
};
// Errors: json_* for bad JSON, schema_violation with the JSON path for a wrong shape, an
// unknown member, or a `type` other than "cosign container image signature".
Expected<SimpleSigningPayload> parse_simple_signing_payload(std::string_view bytes, std::string_view where);

// One signature as found, before any verification.
struct SignatureCandidate {
    std::string origin;      // where it came from, for the verdict: "sha256-<hex>.sig layer 1/2"
    std::string media_type;  // the layer's media type (simple signing for cosign signatures)
    std::string payload;     // the exact bytes that were signed
    std::string signature;   // raw signature bytes (base64-decoded annotation); empty if absent
    std::map<std::string, std::string> annotations;  // certificate, chain, Rekor bundle, ...
};

// A containers-image `dir:` signature file: 0x00 "sigstore-json" '\n' then
// {"mimeType", "payload" (base64), "annotations"}. Other formats (OpenPGP) -> schema_violation
// saying the format is not supported.
Expected<SignatureCandidate> parse_containers_signature_file(std::string_view bytes, std::string_view where);

// cosign's legacy signatures for `signed_digest` in an OCI layout or oci-archive: the image
// manifests tagged `sha256-<hex>.sig` (ref name annotation, also as the tag of a full
// io.containerd.image.name) and those cosign save marks with kind=dev.cosignproject.cosign/sigs.
// Each signature manifest and each payload blob is checked for size and digest first. At most
// limits::kMaxSignaturesPerImage layers are read; more is Errc::limit_exceeded. Layers of other
// media types are skipped (attachments that are not signatures).
Expected<std::vector<SignatureCandidate>> find_cosign_signatures(BlobSource& source,
                                                                 const Digest& signed_digest);

// cosign's exact simple-signing payload for `manifest_digest` signed as `docker_reference`
// (repository only, as cosign writes it): Go's key order, "optional":null (FORMATS.md A.4).
std::string make_simple_signing_payload(std::string_view docker_reference, const Digest& manifest_digest);

// What write_cosign_signature did.
struct CosignSignatureWritten {
    std::string tag;                // "sha256-<hex>.sig"
    Digest signature_manifest;      // digest of the (new) signature manifest
    std::size_t layers = 0;         // signatures in it, this one included
    bool appended = false;          // an existing .sig manifest got one more layer
};

// Writes a cosign legacy signature into the OCI layout directory `layout`, as cosign does
// (FORMATS.md A.2-A.3): the payload blob, a config blob whose rootfs.diff_ids name the payload
// once per layer, an OCI image manifest with one simple-signing layer per signature carrying
// dev.cosignproject.cosign/signature = base64(signature), and an index.json entry tagged
// sha256-<hex>.sig. When that tag already exists, its manifest gets one more layer (cosign
// appends) and the index entry is repointed. Every file is written to a temporary name in its
// own directory, fsynced and renamed; index.json is written last. Paths are opened relative to
// the layout without following symlinks, so nothing is written outside it.
// Errors: io_error / not_found / permission_denied for the file system, json_* or
// schema_violation for an index.json or existing signature manifest that cannot be edited,
// limit_exceeded beyond limits::kMaxSignaturesPerImage layers.
Expected<CosignSignatureWritten> write_cosign_signature(const std::string& layout, const Digest& signed_digest,
                                                        std::string_view payload, std::string_view signature);

}  // namespace edgeverify
