// Sigstore bundles attached to an image as OCI 1.1 referrers (FORMATS.md A.9/A.10), found offline
// three ways: listed in index.json, through a referrers-tag index `sha256-<hex>`, and unlisted
// among blobs/sha256 as `cosign save` leaves them. Every referrer is read once (deduplicated by
// digest) and its manifest and bundle blob are checked for size and digest before use.
#include <set>
#include <string>
#include <vector>

#include "edgeverify/limits.hpp"
#include "edgeverify/oci.hpp"
#include "edgeverify/signatures.hpp"
#include "integrity/blob_checks.hpp"
#include "signatures/signature_support.hpp"

namespace edgeverify {
namespace {

constexpr std::string_view kBundleMediaTypePrefix = "application/vnd.dev.sigstore.bundle";
constexpr std::string_view kBlobDirectory = "blobs/sha256";

bool is_bundle_layer(const Descriptor& layer) {
    return layer.media_type.starts_with(kBundleMediaTypePrefix);
}

bool refers_to(const ImageManifest& manifest, const Digest& subject) {
    return manifest.subject && manifest.subject->digest == subject;
}

// The referrer manifests of one subject, in the order found, each once.
class ReferrerSet {
public:
    explicit ReferrerSet(const Digest& subject) : subject_(subject) {}

    bool contains(const Digest& digest) const { return seen_.contains(digest); }
    const std::vector<Descriptor>& descriptors() const { return descriptors_; }

    Status add(const Descriptor& d) {
        if (contains(d.digest)) return {};
        if (descriptors_.size() >= limits::kMaxSignaturesPerImage) {
            return make_error(Errc::limit_exceeded, "referrers of " + subject_.str() +
                                                        ": more than kMaxSignaturesPerImage (" +
                                                        std::to_string(limits::kMaxSignaturesPerImage) + ")");
        }
        seen_.insert(d.digest);
        descriptors_.push_back(d);
        return {};
    }

private:
    const Digest& subject_;
    std::set<Digest> seen_;
    std::vector<Descriptor> descriptors_;
};

// (1) Image manifests listed in index.json whose subject is ours. An entry that cannot be read is
// the integrity walk's business unless it declares an artifactType (then it claims to be one).
Status add_listed(BlobSource& source, const ImageIndex& index, const Digest& subject, ReferrerSet& out) {
    for (const Descriptor& d : index.manifests) {
        if (classify_media_type(d.media_type).kind != DocumentKind::manifest) continue;
        const std::string what = "index.json entry " + d.digest.str();
        auto record = integrity::check_blob(source, d, what);
        if (!record) {
            if (d.artifact_type) return record.take_error();
            continue;
        }
        auto text = integrity::document_text(**record, what);
        auto manifest = text ? parse_image_manifest(*text, what) : Expected<ImageManifest>(text.take_error());
        if (!manifest) {
            if (d.artifact_type) return manifest.take_error();
            continue;
        }
        if (refers_to(*manifest, subject)) {
            if (auto status = out.add(d); !status) return status;
        }
    }
    return {};
}

// (2) The manifests an index at the referrers tag `sha256-<hex>` lists.
Status add_tagged(BlobSource& source, const ImageIndex& index, const Digest& subject, ReferrerSet& out) {
    const std::string tag = signatures::digest_tag(subject);
    for (const Descriptor& d : index.manifests) {
        if (classify_media_type(d.media_type).kind != DocumentKind::index ||
            !signatures::entry_has_tag(d, tag))
            continue;
        const std::string what = "referrers index " + d.digest.str() + " (" + tag + ")";
        auto record = integrity::check_blob(source, d, what);
        if (!record) return record.take_error();
        auto text = integrity::document_text(**record, what);
        if (!text) return text.take_error();
        auto referrers = parse_image_index(*text, what);
        if (!referrers) return referrers.take_error();
        for (const Descriptor& m : referrers->manifests) {
            if (classify_media_type(m.media_type).kind != DocumentKind::manifest) continue;
            if (auto status = out.add(m); !status) return status;
        }
    }
    return {};
}

// (3) Unlisted manifests among blobs/sha256 that name our subject, as cosign verify --local-image
// scans them. Only files no larger than kMaxJsonDocumentBytes are read; what does not parse as a
// manifest is some other blob and is passed over.
Status add_unlisted(BlobSource& source, const Digest& subject, ReferrerSet& out) {
    auto paths = source.list_files(kBlobDirectory);
    if (!paths) return paths.take_error();
    for (const std::string& path : *paths) {
        auto digest = Digest::parse("sha256:" + path.substr(kBlobDirectory.size() + 1));
        if (!digest || out.contains(*digest)) continue;
        auto size = source.file_size(path);
        if (!size || *size > limits::kMaxJsonDocumentBytes) continue;
        auto record = source.file(path);
        if (!record || !(*record)->content) continue;
        const std::string& text = *(*record)->content;
        if (text.find(subject.hex()) == std::string::npos) continue;  // cheap: no mention, no referrer
        auto manifest = parse_image_manifest(text, path);
        if (!manifest || !refers_to(*manifest, subject)) continue;
        Descriptor d;
        d.media_type =
            manifest->media_type.empty() ? std::string(media_type::kOciManifest) : manifest->media_type;
        d.digest = *digest;
        d.size = static_cast<std::int64_t>(*size);
        d.artifact_type = manifest->artifact_type;
        if (auto status = out.add(d); !status) return status;
    }
    return {};
}

// Reads one referrer: its manifest, then its one bundle layer. No candidate for a referrer of
// another subject or without a bundle layer (an SBOM, another tool's attestation).
Status collect_bundle(BlobSource& source, const Descriptor& d, const Digest& subject,
                      std::vector<SignatureCandidate>& out) {
    const std::string origin = "referrer " + d.digest.str();
    const std::string what = "referrer manifest " + d.digest.str();
    auto record = integrity::check_blob(source, d, what);
    if (!record) return record.take_error();
    auto text = integrity::document_text(**record, what);
    if (!text) return text.take_error();
    auto manifest = parse_image_manifest(*text, what);
    if (!manifest) return manifest.take_error();
    if (!refers_to(*manifest, subject)) return {};

    std::vector<const Descriptor*> bundles;
    for (const Descriptor& layer : manifest->layers) {
        if (is_bundle_layer(layer)) bundles.push_back(&layer);
    }
    if (bundles.empty()) return {};
    if (bundles.size() != 1) {
        return make_error(Errc::schema_violation, what + ": " + std::to_string(bundles.size()) +
                                                      " Sigstore bundle layers, expected exactly one");
    }
    const Descriptor& layer = *bundles.front();
    const std::string bundle_what = "bundle " + layer.digest.str() + " of " + origin;
    auto bundle_record = integrity::check_blob(source, layer, bundle_what);
    if (!bundle_record) return bundle_record.take_error();
    auto bundle = integrity::document_text(**bundle_record, bundle_what);
    if (!bundle) return bundle.take_error();

    SignatureCandidate candidate;
    candidate.kind = CandidateKind::sigstore_bundle;
    candidate.origin = origin;
    candidate.media_type = layer.media_type;
    candidate.payload = std::string(*bundle);
    candidate.annotations = manifest->annotations;
    candidate.annotations.insert(layer.annotations.begin(), layer.annotations.end());
    out.push_back(std::move(candidate));
    return {};
}

}  // namespace

Expected<std::vector<SignatureCandidate>> find_bundle_referrers(BlobSource& source, const Digest& subject) {
    std::vector<SignatureCandidate> candidates;
    if (!source.has_file("index.json")) return candidates;  // docker-archive, dir: no referrers
    auto index = signatures::read_index_json(source);
    if (!index) return index.take_error();

    ReferrerSet referrers(subject);
    if (auto status = add_listed(source, *index, subject, referrers); !status) return status.take_error();
    if (auto status = add_tagged(source, *index, subject, referrers); !status) return status.take_error();
    if (auto status = add_unlisted(source, subject, referrers); !status) return status.take_error();
    for (const Descriptor& d : referrers.descriptors()) {
        if (auto status = collect_bundle(source, d, subject, candidates); !status) return status.take_error();
    }
    return candidates;
}

}  // namespace edgeverify
