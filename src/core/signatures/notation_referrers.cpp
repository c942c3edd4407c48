// Notation signatures attached to an image as OCI referrers (FORMATS.md C.1), found offline the
// three ways bundle_referrers.cpp finds Sigstore bundles: listed in index.json, behind the
// referrers tag index `sha256-<hex>`, and unlisted among blobs/sha256. Every signature manifest
// and envelope blob is checked for size and digest before it is read.
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "edgeverify/limits.hpp"
#include "edgeverify/notation.hpp"
#include "edgeverify/signatures.hpp"
#include "integrity/blob_checks.hpp"
#include "signatures/signature_support.hpp"

namespace edgeverify {
namespace {

constexpr std::string_view kBlobDirectory = "blobs/sha256";

// artifactType, or for OCI 1.0 registries (no artifactType) the config media type.
bool is_notation_signature(const ImageManifest& manifest) {
    if (manifest.artifact_type) return *manifest.artifact_type == kNotationSignatureArtifactType;
    return manifest.config.media_type == kNotationSignatureArtifactType;
}

// The Notation signature manifests of one subject, each read once, in the order found.
class NotationReferrers {
public:
    NotationReferrers(BlobSource& source, const Digest& subject) : source_(source), subject_(subject) {}

    bool seen(const Digest& digest) const { return seen_.contains(digest); }
    std::vector<std::pair<Descriptor, ImageManifest>>& found() { return found_; }

    // Reads the manifest `d` names and keeps it when it is a Notation signature of the subject.
    // `strict`: a manifest that cannot be read is an error (its descriptor claims a referrer);
    // otherwise it is some other document and is passed over.
    Status consider(const Descriptor& d, bool strict) {
        if (!seen_.insert(d.digest).second) return {};
        const std::string what = "notation signature manifest " + d.digest.str();
        auto record = integrity::check_blob(source_, d, what);
        if (!record) return strict ? Status(record.take_error()) : Status();
        auto text = integrity::document_text(**record, what);
        auto manifest = text ? parse_image_manifest(*text, what) : Expected<ImageManifest>(text.take_error());
        if (!manifest) return strict ? Status(manifest.take_error()) : Status();
        if (!manifest->subject || !(manifest->subject->digest == subject_) ||
            !is_notation_signature(*manifest)) {
            return {};
        }
        if (found_.size() >= limits::kMaxSignaturesPerImage) {
            return make_error(Errc::limit_exceeded, "notation signatures of " + subject_.str() +
                                                        ": more than kMaxSignaturesPerImage (" +
                                                        std::to_string(limits::kMaxSignaturesPerImage) + ")");
        }
        found_.emplace_back(d, std::move(*manifest));
        return {};
    }

private:
    BlobSource& source_;
    const Digest& subject_;
    std::set<Digest> seen_;
    std::vector<std::pair<Descriptor, ImageManifest>> found_;
};

Status add_listed_and_tagged(BlobSource& source, const ImageIndex& index, const Digest& subject,
                             NotationReferrers& referrers) {
    const std::string tag = signatures::digest_tag(subject);
    for (const Descriptor& d : index.manifests) {
        const DocumentKind kind = classify_media_type(d.media_type).kind;
        if (kind == DocumentKind::manifest) {
            if (auto ok = referrers.consider(d, d.artifact_type.has_value()); !ok) return ok;
            continue;
        }
        if (kind != DocumentKind::index || !signatures::entry_has_tag(d, tag)) continue;
        const std::string what = "referrers index " + d.digest.str() + " (" + tag + ")";
        auto record = integrity::check_blob(source, d, what);
        if (!record) return record.take_error();
        auto text = integrity::document_text(**record, what);
        if (!text) return text.take_error();
        auto tagged = parse_image_index(*text, what);
        if (!tagged) return tagged.take_error();
        for (const Descriptor& m : tagged->manifests) {
            if (classify_media_type(m.media_type).kind != DocumentKind::manifest) continue;
            if (auto ok = referrers.consider(m, true); !ok) return ok;
        }
    }
    return {};
}

// Unlisted manifests that mention the subject, as a copy made without index entries leaves them.
Status add_unlisted(BlobSource& source, const Digest& subject, NotationReferrers& referrers) {
    auto paths = source.list_files(kBlobDirectory);
    if (!paths) return paths.take_error();
    for (const std::string& path : *paths) {
        auto digest = Digest::parse("sha256:" + path.substr(kBlobDirectory.size() + 1));
        if (!digest || referrers.seen(*digest)) continue;
        auto size = source.file_size(path);
        if (!size || *size > limits::kMaxJsonDocumentBytes) continue;
        auto record = source.file(path);
        if (!record || !(*record)->content || (*record)->content->find(subject.hex()) == std::string::npos)
            continue;
        Descriptor d;
        d.media_type = std::string(media_type::kOciManifest);
        d.digest = *digest;
        d.size = static_cast<std::int64_t>(*size);
        if (auto ok = referrers.consider(d, false); !ok) return ok;
    }
    return {};
}

// The candidate for one signature manifest: its one envelope layer, or the reason it has none.
Expected<SignatureCandidate> read_envelope(BlobSource& source, const Descriptor& d,
                                           const ImageManifest& manifest, const Descriptor& subject) {
    SignatureCandidate candidate;
    candidate.kind = CandidateKind::notation;
    candidate.origin = "notation referrer " + d.digest.str();
    candidate.subject = subject;
    candidate.annotations = manifest.annotations;
    if (manifest.layers.size() != 1) {
        candidate.unreadable = "signature manifest has " + std::to_string(manifest.layers.size()) +
                               " layers, a Notation signature has exactly one envelope layer";
        return candidate;
    }
    const Descriptor& layer = manifest.layers.front();
    candidate.media_type = layer.media_type;
    if (layer.media_type != kNotationJwsMediaType && layer.media_type != kNotationCoseMediaType) {
        candidate.unreadable = "envelope layer media type " + layer.media_type + " is neither " +
                               std::string(kNotationJwsMediaType) + " nor " +
                               std::string(kNotationCoseMediaType);
        return candidate;
    }
    const std::string what = "notation envelope " + layer.digest.str() + " of " + candidate.origin;
    auto record = integrity::check_blob(source, layer, what);
    if (!record) return record.take_error();
    auto bytes = integrity::document_text(**record, what);
    if (!bytes) return bytes.take_error();
    candidate.payload = std::string(*bytes);
    return candidate;
}

}  // namespace

Expected<Descriptor> notation_subject_descriptor(BlobSource& source, const Digest& digest) {
    const std::string path =
        "blobs/" + std::string(digest_algorithm_name(digest.algorithm())) + "/" + digest.hex();
    auto record = source.file(path);
    if (!record) return record.take_error();
    auto text = integrity::document_text(**record, path);
    if (!text) return text.take_error();
    auto json = parse_json_strict(*text, path);
    if (!json) return json.take_error();
    Descriptor d;
    d.digest = digest;
    d.size = static_cast<std::int64_t>((*record)->size);
    if (json->is_object() && json->contains("mediaType") && (*json)["mediaType"].is_string()) {
        d.media_type = (*json)["mediaType"].get<std::string>();
    } else {
        const bool index = json->is_object() && json->contains("manifests");
        d.media_type = std::string(index ? media_type::kOciIndex : media_type::kOciManifest);
    }
    return d;
}

Expected<std::vector<SignatureCandidate>> find_notation_signatures(BlobSource& source,
                                                                   const Digest& subject) {
    std::vector<SignatureCandidate> candidates;
    if (!source.has_file("index.json")) return candidates;  // docker-archive, dir: no referrers
    auto index = signatures::read_index_json(source);
    if (!index) return index.take_error();
    NotationReferrers referrers(source, subject);
    if (auto ok = add_listed_and_tagged(source, *index, subject, referrers); !ok) return ok.take_error();
    if (auto ok = add_unlisted(source, subject, referrers); !ok) return ok.take_error();
    if (referrers.found().empty()) return candidates;
    auto described = notation_subject_descriptor(source, subject);
    if (!described) return described.take_error();
    for (const auto& [d, manifest] : referrers.found()) {
        auto candidate = read_envelope(source, d, manifest, *described);
        if (!candidate) return candidate.take_error();
        candidates.push_back(std::move(*candidate));
    }
    return candidates;
}

}  // namespace edgeverify
