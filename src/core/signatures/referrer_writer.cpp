// Writing a Sigstore bundle as an OCI 1.1 referrer, as cosign v3 does (FORMATS.md A.9): the empty
// config blob, the bundle blob, the referrer manifest whose subject is the signed manifest, and an
// index.json entry without a ref name, staged on a LayoutWriter (the caller commits).
#include <nlohmann/json.hpp>
#include <string>

#include "edgeverify/crypto.hpp"
#include "edgeverify/limits.hpp"
#include "edgeverify/clock.hpp"
#include "edgeverify/signatures.hpp"
#include "signatures/layout_index.hpp"
#include "edgeverify/sigstore_bundle.hpp"

namespace edgeverify {
namespace {

using Ordered = nlohmann::ordered_json;

constexpr std::string_view kOciManifest = "application/vnd.oci.image.manifest.v1+json";
constexpr std::string_view kCreatedAnnotation = "org.opencontainers.image.created";
constexpr std::string_view kEmptyBlob = "{}";

// "dsse-envelope" or "message-signature", from the bundle's content member.
Expected<std::string> bundle_content(std::string_view bundle_json) {
    auto bundle = parse_json_strict(bundle_json, "bundle");
    if (!bundle) return bundle.take_error();
    if (!bundle->is_object()) return make_error(Errc::schema_violation, "bundle: expected an object");
    const bool dsse = bundle->contains("dsseEnvelope");
    const bool message = bundle->contains("messageSignature");
    if (dsse == message) {
        return make_error(Errc::schema_violation,
                          "bundle: expected exactly one of dsseEnvelope and messageSignature");
    }
    return std::string(dsse ? "dsse-envelope" : "message-signature");
}

}  // namespace

Expected<BundleReferrerWritten> write_bundle_referrer(LayoutWriter& layout, const Descriptor& subject,
                                                      std::string_view bundle_json,
                                                      std::string_view predicate_type) {
    if (subject.digest.empty() || subject.media_type.empty()) {
        return make_error(Errc::schema_violation, "referrer subject: needs a media type and a digest");
    }
    auto content = bundle_content(bundle_json);
    if (!content) return content.take_error();

    auto read_index = signatures_detail::read_index_for_editing(layout);
    if (!read_index) return read_index.take_error();
    Ordered index = std::move(*read_index);

    const Digest empty_digest = digest_of(DigestAlgorithm::sha256, kEmptyBlob);
    const Digest bundle_digest = digest_of(DigestAlgorithm::sha256, bundle_json);
    if (auto status = layout.put_file("blobs/sha256/" + empty_digest.hex(), kEmptyBlob); !status) {
        return status.take_error();
    }
    if (auto status = layout.put_file("blobs/sha256/" + bundle_digest.hex(), bundle_json); !status) {
        return status.take_error();
    }

    const std::string bundle_type(sigstore::kBundleMediaTypeV03);
    Ordered manifest;
    manifest["schemaVersion"] = 2;
    manifest["mediaType"] = std::string(kOciManifest);
    manifest["artifactType"] = bundle_type;
    manifest["config"] = {{"mediaType", std::string(sigstore::kEmptyMediaType)},
                          {"digest", empty_digest.str()},
                          {"size", kEmptyBlob.size()},
                          {"data", base64_encode(kEmptyBlob)}};
    manifest["layers"] = Ordered::array();
    manifest["layers"].push_back(
        {{"mediaType", bundle_type}, {"digest", bundle_digest.str()}, {"size", bundle_json.size()}});
    manifest["subject"] = {
        {"mediaType", subject.media_type}, {"digest", subject.digest.str()}, {"size", subject.size}};
    manifest["annotations"][std::string(sigstore::kBundleContentAnnotation)] = *content;
    if (*content == "dsse-envelope" && !predicate_type.empty()) {
        manifest["annotations"][std::string(sigstore::kBundlePredicateTypeAnnotation)] =
            std::string(predicate_type);
    }
    manifest["annotations"][std::string(kCreatedAnnotation)] = rfc3339_utc_now();
    const std::string manifest_bytes = manifest.dump();
    const Digest manifest_digest = digest_of(DigestAlgorithm::sha256, manifest_bytes);
    if (auto status = layout.put_file("blobs/sha256/" + manifest_digest.hex(), manifest_bytes); !status) {
        return status.take_error();
    }

    // No ref name: tools that list tags (umoci, skopeo) never take it for an image.
    index["manifests"].push_back({{"mediaType", std::string(kOciManifest)},
                                  {"digest", manifest_digest.str()},
                                  {"size", manifest_bytes.size()},
                                  {"artifactType", bundle_type}});
    if (auto status = layout.put_file("index.json", index.dump()); !status) return status.take_error();
    return BundleReferrerWritten{manifest_digest, bundle_digest};
}

}  // namespace edgeverify
