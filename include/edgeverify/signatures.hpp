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
#include "edgeverify/layout_writer.hpp"
#include "edgeverify/oci.hpp"
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

enum class CandidateKind {
    simple_signing,   // cosign legacy / containers sigstore: payload + raw signature (+ annotations)
    sigstore_bundle,  // a Sigstore bundle: `payload` holds the bundle JSON
    notation,         // a Notary Project envelope: `payload` holds it, `media_type` says JWS or COSE
};

// One signature as found, before any verification.
struct SignatureCandidate {
    CandidateKind kind = CandidateKind::simple_signing;
    std::string origin;      // where it came from, for the verdict: "sha256-<hex>.sig layer 1/2",
                             // "referrer sha256:<hex>", "--bundle FILE", "signature-1"
    std::string media_type;  // the layer's media type (simple signing, or the bundle media type)
    std::string payload;     // simple signing: the exact bytes signed; bundle: the bundle JSON
    std::string signature;   // raw signature bytes (base64-decoded annotation); empty if absent
    std::map<std::string, std::string> annotations;  // certificate, chain, Rekor bundle, ...
    // Bundles only: the detached artifact a messageSignature signs (`--payload FILE`, e.g. a
    // simple-signing payload). Absent: the artifact is the image manifest itself.
    std::optional<std::string> artifact;
    // Non-empty: a signature file that was found but cannot be read as a signature edgeverify
    // verifies (an OpenPGP signature-N file, a malformed one): listed in the verdict and refused
    // with this reason, never counted, never an error that hides the other signatures.
    std::string unreadable;
    // Notation only: the artifact the signature is found for (media type, digest and the size of
    // the stored blob), which the envelope's targetArtifact must equal.
    std::optional<Descriptor> subject;
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

// Sigstore bundles attached to `subject` as OCI 1.1 referrers (FORMATS.md A.9/A.10): image
// manifests whose `subject.digest` is `subject` and that carry exactly one layer of media type
// application/vnd.dev.sigstore.bundle*, found (1) listed in index.json, (2) through an index at
// the referrers tag `sha256-<hex>` (OCI distribution "Referrers Tag Schema"), and (3) unlisted
// among blobs/ (as `cosign save` leaves them; only files no larger than
// limits::kMaxJsonDocumentBytes are parsed). Each referrer manifest and bundle blob is checked for
// size and digest first. A referrer with another artifact type (SBOMs, attestations of other
// tools) is skipped; a bundle-typed layer count other than one, or more than
// limits::kMaxSignaturesPerImage referrers -> errors (schema_violation / limit_exceeded).
// Candidates have kind sigstore_bundle, origin "referrer sha256:<hex>".
Expected<std::vector<SignatureCandidate>> find_bundle_referrers(BlobSource& source, const Digest& subject);

// Notation signatures attached to `subject` (FORMATS.md C.1), found like find_bundle_referrers
// (listed in index.json, behind the referrers tag index, unlisted among blobs/, each manifest
// checked for size and digest): image manifests whose `subject.digest` is the subject and whose
// artifactType, or else config media type, is application/vnd.cncf.notary.signature. The one
// envelope layer (application/jose+json or application/cose) is checked for size and digest and
// read, at most limits::kMaxJsonDocumentBytes. A signature manifest with no or several
// layers, or a layer of another media type, becomes a candidate with `unreadable` set (refused in
// the verdict, never counted). More than limits::kMaxSignaturesPerImage referrers ->
// limit_exceeded. Candidates have kind notation, origin "notation referrer sha256:<hex>" and
// `subject` = notation_subject_descriptor(source, subject).
Expected<std::vector<SignatureCandidate>> find_notation_signatures(BlobSource& source, const Digest& subject);

// The descriptor of a stored manifest or index: its mediaType member (an index or manifest OCI
// type when the document omits it), its digest, and the stored blob's size.
Expected<Descriptor> notation_subject_descriptor(BlobSource& source, const Digest& digest);

// The signature-N files of a containers-image `dir:` copy (N = 1, 2, ... until the first gap,
// at most limits::kMaxSignaturesPerImage) in directory `dir`, parsed with
// parse_containers_signature_file; a file that does not parse (an OpenPGP signature, bad JSON)
// becomes a candidate with `unreadable` set to the reason. Missing directory -> not_found;
// a symlink, a non-regular or oversized file -> the error (unsafe_path, json_too_large).
Expected<std::vector<SignatureCandidate>> find_dir_signature_files(const std::string& dir);

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

// Stages a cosign legacy signature on `layout` (an OCI layout or oci-archive), as cosign writes
// it (FORMATS.md A.2-A.3): the payload blob, a config blob whose rootfs.diff_ids name the payload
// once per layer, an OCI image manifest with one simple-signing layer per signature carrying
// dev.cosignproject.cosign/signature = base64(signature), and an index.json entry tagged
// sha256-<hex>.sig. When that tag already exists, its manifest gets one more layer (cosign
// appends) and the index entry is repointed. Nothing is visible until the caller's
// layout.commit(), which writes blobs first and index.json last (see layout_writer.hpp); several
// calls may be staged before one commit.
// Errors: io_error / not_found / permission_denied / unsafe_path from the writer, json_* or
// schema_violation for an index.json or existing signature manifest that cannot be edited,
// digest_mismatch / blob_missing for an existing signature manifest or config that is not what
// its descriptor says, limit_exceeded beyond limits::kMaxSignaturesPerImage layers.
Expected<CosignSignatureWritten> write_cosign_signature(LayoutWriter& layout, const Digest& signed_digest,
                                                        std::string_view payload, std::string_view signature);

// What write_bundle_referrer did.
struct BundleReferrerWritten {
    Digest referrer_manifest;  // digest of the referrer manifest
    Digest bundle_blob;        // digest of the bundle layer
};

// Writes a Sigstore bundle as cosign v3 does (FORMATS.md A.9): the empty config blob "{}", the
// bundle blob, and an image manifest with artifactType = layer media type = bundle v0.3, config
// application/vnd.oci.empty.v1+json, `subject` = `subject` (the signed manifest's descriptor:
// mediaType, digest, size), annotations org.opencontainers.image.created, dev.sigstore.bundle.content
// ("dsse-envelope" or "message-signature") and dev.sigstore.bundle.predicateType (DSSE only). The
// manifest is listed in index.json without a ref name (so it is found as a referrer, never taken
// for an image). Staged on `layout` like write_cosign_signature; the caller commits.
// Errors as write_cosign_signature.
Expected<BundleReferrerWritten> write_bundle_referrer(LayoutWriter& layout, const Descriptor& subject,
                                                      std::string_view bundle_json,
                                                      std::string_view predicate_type);

}  // namespace edgeverify
